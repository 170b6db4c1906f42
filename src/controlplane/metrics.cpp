#include "controlplane/metrics.hpp"

#include <cstdio>

#include "common/version.hpp"
#include "controlplane/prometheus_text.hpp"

namespace ringlb::balancer {

namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string labels(const Backend& backend) {
    return "replica=\"" + backend.name() + "\",id=\"" + std::to_string(backend.server_id()) + "\"";
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

}  // namespace

std::string render_metrics(const RoutingSnapshot& snapshot) {
    std::string out = build::build_info_metric(build::build_info());
    prometheus_help(out, "ringlb_replicas", "gauge", "Replicas ringlb keeps alive (N).");
    out += "ringlb_replicas " + std::to_string(snapshot.names.size()) + "\n";
    if (!snapshot.table) {
        return out;
    }
    const auto shares = snapshot.table->stats().shares;
    const auto& members = snapshot.table->members();

    prometheus_help(out, "ringlb_replica_up", "gauge",
                    "1 while the replica passes its heartbeats and gets traffic.");
    for (const auto& backend : snapshot.backends) {
        if (backend) {
            out += "ringlb_replica_up{" + labels(*backend) + "} " + (backend->is_up() ? "1" : "0") +
                   "\n";
        }
    }
    prometheus_help(out, "ringlb_replica_restarts_total", "counter",
                    "Replacements of the replica with this server ID.");
    for (std::size_t i = 0; i < members.size(); ++i) {
        out += "ringlb_replica_restarts_total{id=\"" + std::to_string(members[i].id) + "\"} " +
               std::to_string(snapshot.restarts[i]) + "\n";
    }
    prometheus_help(out, "ringlb_ring_share", "gauge",
                    "Fraction of the hash table owned by the server ID.");
    for (std::size_t i = 0; i < members.size(); ++i) {
        out += "ringlb_ring_share{id=\"" + std::to_string(members[i].id) + "\"} " +
               number(shares[i]) + "\n";
    }
    prometheus_help(out, "ringlb_requests_total", "counter", "Answers passed on from the replica.");
    std::string failures;
    std::string latency;
    for (const auto& backend : snapshot.backends) {
        if (!backend) {
            continue;
        }
        const Totals totals = sum(*backend);
        const std::string l = labels(*backend);
        out += "ringlb_requests_total{" + l + "} " + std::to_string(totals.requests) + "\n";
        failures +=
            "ringlb_request_failures_total{" + l + "} " + std::to_string(totals.failures) + "\n";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < totals.buckets.size(); ++i) {
            cumulative += totals.buckets[i];
            const std::string le = i < kLatencyBuckets.size() ? number(kLatencyBuckets[i]) : "+Inf";
            latency += "ringlb_request_duration_seconds_bucket{" + l + ",le=\"" + le + "\"} " +
                       std::to_string(cumulative) + "\n";
        }
        latency += "ringlb_request_duration_seconds_sum{" + l + "} " +
                   number(static_cast<double>(totals.micros) / 1e6) + "\n";
        latency += "ringlb_request_duration_seconds_count{" + l + "} " +
                   std::to_string(totals.requests) + "\n";
    }
    prometheus_help(
        out, "ringlb_request_failures_total", "counter",
        "Attempts on the replica that got no usable answer (refused, reset, timed out).");
    out += failures;
    prometheus_help(out, "ringlb_request_duration_seconds", "histogram",
                    "Time from sending a request to the replica to its whole answer.");
    out += latency;
    return out;
}

}  // namespace ringlb::balancer
