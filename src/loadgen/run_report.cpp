#include "loadgen/run_report.hpp"

#include <array>
#include <cstdio>
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "loadgen/json_text.hpp"

namespace ringlb::loadgen {

namespace json = boost::json;

namespace {

constexpr int kMillisDecimals = 3;  // latencies: microseconds
constexpr int kSecondsDecimals = 6;

double seconds(std::chrono::nanoseconds duration) {
    return std::chrono::duration<double>(duration).count();
}

double millis(std::chrono::nanoseconds duration) {
    return rounded(std::chrono::duration<double, std::milli>(duration).count(), kMillisDecimals);
}

double requests_per_second(const RunReport& report) {
    const double elapsed = seconds(report.result.elapsed);
    return elapsed > 0 ? static_cast<double>(report.result.stats.completed()) / elapsed : 0.0;
}

template <class Key>
json::object counts_json(const std::map<Key, std::uint64_t>& counts) {
    json::object object;
    for (const auto& [key, count] : counts) {
        if constexpr (std::is_same_v<Key, std::string>) {
            object[key] = count;
        } else {
            object[std::to_string(key)] = count;
        }
    }
    return object;
}

json::value timeline_json(const RunStats& stats) {
    if (stats.timeline_interval().count() <= 0) {
        return nullptr;
    }
    json::array buckets;
    for (std::size_t i = 0; i < stats.timeline().size(); ++i) {
        const TimelineBucket& bucket = stats.timeline()[i];
        buckets.push_back(
            json::object{{"start_seconds",
                          rounded(seconds(stats.timeline_interval() * static_cast<std::int64_t>(i)),
                                  kSecondsDecimals)},
                         {"replicas", counts_json(bucket.replicas)},
                         {"unattributed", bucket.unattributed},
                         {"failed", bucket.failed}});
    }
    return json::object{
        {"interval_seconds", rounded(seconds(stats.timeline_interval()), kSecondsDecimals)},
        {"buckets", std::move(buckets)}};
}

json::object latency_json(const LatencySummary& latency) {
    return json::object{{"count", latency.count},     {"mean", millis(latency.mean)},
                        {"p50", millis(latency.p50)}, {"p90", millis(latency.p90)},
                        {"p99", millis(latency.p99)}, {"p99_9", millis(latency.p999)},
                        {"max", millis(latency.max)}};
}

json::array paths_json(const RunReport& report) {
    const RunStats& stats = report.result.stats;
    const std::vector<WeightedPath> mix = mix_of(report.params);
    json::array paths;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const PathStats& path = stats.path(i);
        paths.push_back(json::object{{"path", mix[i].path},
                                     {"weight", mix[i].weight},
                                     {"count", path.completed},
                                     {"succeeded", path.succeeded()},
                                     {"failed", path.failed},
                                     {"errors", counts_json(path.errors)},
                                     {"latency_ms", latency_json(stats.path_latency(i))}});
    }
    return paths;
}

json::value lateness_json(const RunReport& report) {
    if (!report.params.open_loop) {
        return nullptr;
    }
    const Lateness& lateness = report.result.lateness;
    return json::object{{"late", lateness.late}, {"worst_ms", millis(lateness.worst)}};
}

// snprintf into a string, for the aligned columns of the text summary.
template <class... Args>
std::string format(const char* pattern, Args... args) {
    std::array<char, 128> buffer{};
    std::snprintf(buffer.data(), buffer.size(), pattern, args...);
    return buffer.data();
}

void print_failures(std::ostream& out, const RunStats& stats) {
    out << "failures ";
    if (stats.errors().empty()) {
        out << " none\n";
        return;
    }
    const char* separator = " ";
    for (const auto& [kind, count] : stats.errors()) {
        out << separator << kind << ' ' << count;
        separator = ", ";
    }
    out << '\n';
}

void print_latency(std::ostream& out, const LatencySummary& latency) {
    if (latency.count == 0) {
        out << "latency   no answers\n";
        return;
    }
    out << format(
        "latency   p50 %.3f ms   p90 %.3f ms   p99 %.3f ms   p99.9 %.3f ms   max %.3f ms\n",
        millis(latency.p50), millis(latency.p90), millis(latency.p99), millis(latency.p999),
        millis(latency.max));
}

void print_open_loop(std::ostream& out, const RunReport& report) {
    if (!report.params.open_loop) {
        return;
    }
    const Lateness& lateness = report.result.lateness;
    out << format("open loop at %g req/s, latency from the schedule: ", report.params.rate);
    if (lateness.late == 0) {
        out << "no request waited for a connection\n";
        return;
    }
    out << lateness.late << " requests waited for a connection, the longest "
        << format("%.3f ms\n", millis(lateness.worst));
}

// One line per path, when there are several: the overall figures say it all for one.
void print_paths(std::ostream& out, const RunReport& report) {
    const std::vector<WeightedPath> mix = mix_of(report.params);
    if (mix.size() < 2) {
        return;
    }
    out << "weight   requests   failed   p50 ms   p90 ms   p99 ms p99.9 ms   max ms  path\n";
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const PathStats& path = report.result.stats.path(i);
        const LatencySummary latency = report.result.stats.path_latency(i);
        out << format("%6llu %10llu %8llu %8.3f %8.3f %8.3f %8.3f %8.3f  ",
                      static_cast<unsigned long long>(mix[i].weight),
                      static_cast<unsigned long long>(path.completed),
                      static_cast<unsigned long long>(path.failed), millis(latency.p50),
                      millis(latency.p90), millis(latency.p99), millis(latency.p999),
                      millis(latency.max))
            << mix[i].path << '\n';
    }
}

void print_timeline(std::ostream& out, const RunStats& stats) {
    if (stats.timeline_interval().count() <= 0) {
        return;
    }
    out << format("\ntimeline, every %g s: start, failed, then answers per server\n",
                  seconds(stats.timeline_interval()));
    for (std::size_t i = 0; i < stats.timeline().size(); ++i) {
        const TimelineBucket& bucket = stats.timeline()[i];
        out << format("%8.3f %6llu ",
                      seconds(stats.timeline_interval() * static_cast<std::int64_t>(i)),
                      static_cast<unsigned long long>(bucket.failed));
        for (const auto& [id, count] : bucket.replicas) {
            out << ' ' << id << ':' << count;
        }
        out << '\n';
    }
}

}  // namespace

void print_run_text(std::ostream& out, const RunReport& report) {
    const RunResult& result = report.result;
    const RunStats& stats = result.stats;
    out << "ringlb-load run " << report.url << " (" << result.address << ")\n";
    out << stats.completed() << " of " << report.params.requests << " requests over "
        << report.params.concurrency << " connections in "
        << format("%.3f s (%.0f req/s): ", seconds(result.elapsed), requests_per_second(report))
        << stats.succeeded() << " succeeded, " << stats.failed() << " failed"
        << (result.stopped_early ? " (stopped at --max-seconds)" : "") << '\n';
    print_latency(out, stats.latency());
    print_open_loop(out, report);
    print_paths(out, report);
    if (!stats.replicas().empty()) {
        out << "server    answers    share\n";
        for (const auto& [id, count] : stats.replicas()) {
            const double share =
                static_cast<double>(count) / static_cast<double>(stats.succeeded()) * 100.0;
            out << format("%6u %10llu %7.2f%%\n", id, static_cast<unsigned long long>(count),
                          share);
        }
    }
    if (stats.unattributed() > 0) {
        out << "answers without a server ID: " << stats.unattributed() << '\n';
    }
    print_failures(out, stats);
    print_timeline(out, stats);
}

void print_run_json(std::ostream& out, const RunReport& report) {
    const RunParams& params = report.params;
    const RunResult& result = report.result;
    const RunStats& stats = result.stats;
    const double started_at =
        std::chrono::duration<double>(result.started_at.time_since_epoch()).count();
    const json::object object{
        {"url", report.url},
        {"address", result.address},
        {"requests", params.requests},
        {"concurrency", params.concurrency},
        {"rate", params.rate},
        {"open_loop", params.open_loop},
        {"timeout_ms", params.timeout.count()},
        {"max_seconds", rounded(seconds(params.max_duration), kSecondsDecimals)},
        {"request_ids", describe(params.ids)},
        {"seed", params.ids.seed},
        {"id_header", params.id_header},
        {"started_at", rounded(started_at, kMillisDecimals)},
        {"elapsed_seconds", rounded(seconds(result.elapsed), kSecondsDecimals)},
        {"requests_per_second", rounded(requests_per_second(report), 1)},
        {"sent", result.sent},
        {"completed", stats.completed()},
        {"succeeded", stats.succeeded()},
        {"failed", stats.failed()},
        {"unattributed", stats.unattributed()},
        {"stopped_early", result.stopped_early},
        {"replicas", counts_json(stats.replicas())},
        {"statuses", counts_json(stats.statuses())},
        {"errors", counts_json(stats.errors())},
        {"latency_ms", latency_json(stats.latency())},
        {"lateness", lateness_json(report)},
        {"paths", paths_json(report)},
        {"timeline", timeline_json(stats)}};
    out << to_json_text(object) << '\n';
}

}  // namespace ringlb::loadgen
