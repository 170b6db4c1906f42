#include "controlplane/metrics.hpp"

#include <cstdio>
#include <string_view>

#include "common/version.hpp"
#include "controlplane/prometheus_text.hpp"

namespace ringlb::balancer {

namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// Appends one sample: `name{labels} value`, or `name value` without labels.
void sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
    out += name;
    if (!labels.empty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

std::string labels(const Backend& backend) {
    std::string text = "replica=\"";
    text += backend.name();
    text += "\",id=\"";
    text += std::to_string(backend.server_id());
    text += '"';
    return text;
}

std::string id_label(std::uint32_t id) {
    std::string text = "id=\"";
    text += std::to_string(id);
    text += '"';
    return text;
}

struct Totals {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t micros = 0;
    std::array<std::uint64_t, kLatencyBuckets.size() + 1> buckets{};
};

Totals sum(const Backend& backend) {
    Totals totals;
    for (const ReplicaCounters& c : backend.all_counters()) {
        totals.requests += c.requests.get();
        totals.failures += c.failures.get();
        totals.micros += c.latency_micros.get();
        for (std::size_t i = 0; i < totals.buckets.size(); ++i) {
            totals.buckets[i] += c.latency[i].get();
        }
    }
    return totals;
}

// Per member of the table: its replica's health (when one runs), restarts and share.
void append_members(std::string& out, const RoutingSnapshot& snapshot) {
    const auto shares = snapshot.table->stats().shares;
    const auto& members = snapshot.table->members();
    prometheus_help(out, "ringlb_replica_up", "gauge",
                    "1 while the replica passes its heartbeats and gets traffic.");
    for (const auto& backend : snapshot.backends) {
        if (backend) {
            sample(out, "ringlb_replica_up", labels(*backend), backend->is_up() ? "1" : "0");
        }
    }
    prometheus_help(out, "ringlb_replica_restarts_total", "counter",
                    "Replacements of the replica with this server ID.");
    for (std::size_t i = 0; i < members.size(); ++i) {
        sample(out, "ringlb_replica_restarts_total", id_label(members[i].id),
               std::to_string(snapshot.restarts[i]));
    }
    prometheus_help(out, "ringlb_ring_share", "gauge",
                    "Fraction of the hash table owned by the server ID.");
    for (std::size_t i = 0; i < members.size(); ++i) {
        sample(out, "ringlb_ring_share", id_label(members[i].id), number(shares[i]));
    }
}

// One replica's latency histogram: cumulative buckets, then the sum and the count.
void append_latency(std::string& out, const std::string& replica, const Totals& totals) {
    std::uint64_t cumulative = 0;
    std::string bucket;
    for (std::size_t i = 0; i < totals.buckets.size(); ++i) {
        cumulative += totals.buckets[i];
        bucket = replica;
        bucket += ",le=\"";
        bucket += i < kLatencyBuckets.size() ? number(kLatencyBuckets[i]) : "+Inf";
        bucket += '"';
        sample(out, "ringlb_request_duration_seconds_bucket", bucket, std::to_string(cumulative));
    }
    sample(out, "ringlb_request_duration_seconds_sum", replica,
           number(static_cast<double>(totals.micros) / 1e6));
    sample(out, "ringlb_request_duration_seconds_count", replica, std::to_string(totals.requests));
}

// Per running replica: answers passed on, failed attempts and the latency histogram, each
// family whole in turn.
void append_traffic(std::string& out, const RoutingSnapshot& snapshot) {
    prometheus_help(out, "ringlb_requests_total", "counter", "Answers passed on from the replica.");
    std::string failures;
    std::string latency;
    for (const auto& backend : snapshot.backends) {
        if (!backend) {
            continue;
        }
        const Totals totals = sum(*backend);
        const std::string replica = labels(*backend);
        sample(out, "ringlb_requests_total", replica, std::to_string(totals.requests));
        sample(failures, "ringlb_request_failures_total", replica, std::to_string(totals.failures));
        append_latency(latency, replica, totals);
    }
    prometheus_help(
        out, "ringlb_request_failures_total", "counter",
        "Attempts on the replica that got no usable answer (refused, reset, timed out).");
    out += failures;
    prometheus_help(out, "ringlb_request_duration_seconds", "histogram",
                    "Time from sending a request to the replica to its whole answer.");
    out += latency;
}

}  // namespace

std::string render_metrics(const RoutingSnapshot& snapshot) {
    std::string out = build::build_info_metric(build::build_info());
    prometheus_help(out, "ringlb_replicas", "gauge", "Replicas ringlb keeps alive (N).");
    sample(out, "ringlb_replicas", {}, std::to_string(snapshot.names.size()));
    if (snapshot.table) {
        append_members(out, snapshot);
        append_traffic(out, snapshot);
    }
    return out;
}

}  // namespace ringlb::balancer
