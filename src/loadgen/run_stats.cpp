#include "loadgen/run_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ringlb::loadgen {

std::chrono::nanoseconds percentile(std::span<const std::chrono::nanoseconds> sorted, double q) {
    const auto n = static_cast<double>(sorted.size());
    const auto rank = static_cast<std::size_t>(std::ceil(q * n));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

LatencySummary summarize(std::vector<std::chrono::nanoseconds> samples) {
    LatencySummary summary;
    if (samples.empty()) {
        return summary;
    }
    std::sort(samples.begin(), samples.end());
    const auto total = std::accumulate(samples.begin(), samples.end(), std::chrono::nanoseconds{0});
    summary.count = samples.size();
    summary.mean = total / static_cast<std::int64_t>(samples.size());
    summary.p50 = percentile(samples, 0.50);
    summary.p90 = percentile(samples, 0.90);
    summary.p99 = percentile(samples, 0.99);
    summary.p999 = percentile(samples, 0.999);
    summary.max = samples.back();
    return summary;
}

RunStats::RunStats(std::chrono::nanoseconds timeline_interval)
    : timeline_interval_(timeline_interval) {}

TimelineBucket* RunStats::bucket(std::chrono::nanoseconds at) {
    if (timeline_interval_.count() <= 0) {
        return nullptr;
    }
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>(at / timeline_interval_, 0));
    if (index >= timeline_.size()) {
        timeline_.resize(index + 1);
    }
    return &timeline_[index];
}

LatencySummary RunStats::latency() const {
    std::vector<std::chrono::nanoseconds> all;
    all.reserve(std::accumulate(
        paths_.begin(), paths_.end(), std::size_t{0},
        [](std::size_t sum, const PathStats& stats) { return sum + stats.latencies.size(); }));
    for (const PathStats& stats : paths_) {
        all.insert(all.end(), stats.latencies.begin(), stats.latencies.end());
    }
    return summarize(std::move(all));
}

const PathStats& RunStats::path(std::size_t index) const {
    static const PathStats kNone;
    return index < paths_.size() ? paths_[index] : kNone;
}

PathStats& RunStats::path_slot(std::size_t index) {
    if (index >= paths_.size()) {
        paths_.resize(index + 1);
    }
    return paths_[index];
}

void RunStats::record_answer(std::chrono::nanoseconds at, std::chrono::nanoseconds latency,
                             unsigned status, std::optional<std::uint32_t> server_id,
                             std::size_t path) {
    PathStats& per_path = path_slot(path);
    per_path.latencies.push_back(latency);
    ++statuses_[status];
    if (status < 200 || status >= 300) {
        record_failure(at, "http_" + std::to_string(status), path);
        return;
    }
    ++per_path.completed;
    ++succeeded_;
    TimelineBucket* slot = bucket(at);
    if (server_id) {
        ++replicas_[*server_id];
        if (slot != nullptr) {
            ++slot->replicas[*server_id];
        }
    } else {
        ++unattributed_;
        if (slot != nullptr) {
            ++slot->unattributed;
        }
    }
}

void RunStats::record_error(std::chrono::nanoseconds at, ErrorKind kind, std::size_t path) {
    record_failure(at, std::string(error_kind_name(kind)), path);
}

void RunStats::record_failure(std::chrono::nanoseconds at, std::string kind, std::size_t path) {
    PathStats& per_path = path_slot(path);
    ++per_path.completed;
    ++per_path.failed;
    ++per_path.errors[kind];
    ++failed_;
    ++errors_[std::move(kind)];
    if (TimelineBucket* slot = bucket(at); slot != nullptr) {
        ++slot->failed;
    }
}

}  // namespace ringlb::loadgen
