#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loadgen/error_kind.hpp"

namespace ringlb::loadgen {

// Latency over every request that got an HTTP answer, whatever its status.
struct LatencySummary {
    std::uint64_t count = 0;
    std::chrono::nanoseconds mean{0};
    std::chrono::nanoseconds p50{0};
    std::chrono::nanoseconds p90{0};
    std::chrono::nanoseconds p99{0};
    std::chrono::nanoseconds p999{0};
    std::chrono::nanoseconds max{0};
};

// The nearest-rank percentile of `sorted` (ascending, non-empty): the smallest sample with at
// least q of all samples at or below it. q in (0, 1].
std::chrono::nanoseconds percentile(std::span<const std::chrono::nanoseconds> sorted, double q);

// Sorts `samples` and summarizes them; all zero when there are none.
LatencySummary summarize(std::vector<std::chrono::nanoseconds> samples);

// What the requests to one path of the mix got, counted as RunStats counts them all.
struct PathStats {
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::map<std::string, std::uint64_t> errors;      // failures by kind, as RunStats::errors()
    std::vector<std::chrono::nanoseconds> latencies;  // of the answers, in completion order

    std::uint64_t succeeded() const { return completed - failed; }
};

// What finished within one interval of the run (by completion time).
struct TimelineBucket {
    std::map<std::uint32_t, std::uint64_t> replicas;  // successful answers by server ID
    std::uint64_t unattributed = 0;                   // successful answers without a server ID
    std::uint64_t failed = 0;
};

// Counts what a run's requests got. A request succeeds when it gets a 2xx answer; every other
// outcome (a transport error, or a non-2xx answer) is a failure counted under its kind. Not
// thread-safe: a run records from one thread.
class RunStats {
  public:
    RunStats() = default;
    // A zero interval records no timeline.
    explicit RunStats(std::chrono::nanoseconds timeline_interval);

    // `at`: when the request finished, from the start of the run; `path`: its index in the mix.
    void record_answer(std::chrono::nanoseconds at, std::chrono::nanoseconds latency,
                       unsigned status, std::optional<std::uint32_t> server_id,
                       std::size_t path = 0);
    void record_error(std::chrono::nanoseconds at, ErrorKind kind, std::size_t path = 0);

    std::uint64_t completed() const { return succeeded_ + failed_; }
    std::uint64_t succeeded() const { return succeeded_; }
    std::uint64_t failed() const { return failed_; }
    // Successful answers whose body named no server (an endpoint other than /home).
    std::uint64_t unattributed() const { return unattributed_; }
    const std::map<std::uint32_t, std::uint64_t>& replicas() const { return replicas_; }
    // Failures by kind: error_kind_name() for transport errors, "http_<status>" for answers.
    const std::map<std::string, std::uint64_t>& errors() const { return errors_; }
    const std::map<unsigned, std::uint64_t>& statuses() const { return statuses_; }
    // Over every path's answers.
    LatencySummary latency() const;
    // The requests to path `index` of the mix; all zero for a path no request went to.
    const PathStats& path(std::size_t index) const;
    LatencySummary path_latency(std::size_t index) const {
        return summarize(path(index).latencies);
    }
    std::chrono::nanoseconds timeline_interval() const { return timeline_interval_; }
    const std::vector<TimelineBucket>& timeline() const { return timeline_; }

  private:
    TimelineBucket* bucket(std::chrono::nanoseconds at);
    void record_failure(std::chrono::nanoseconds at, std::string kind, std::size_t path);
    PathStats& path_slot(std::size_t index);

    std::chrono::nanoseconds timeline_interval_{0};
    std::uint64_t succeeded_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t unattributed_ = 0;
    std::map<std::uint32_t, std::uint64_t> replicas_;
    std::map<std::string, std::uint64_t> errors_;
    std::map<unsigned, std::uint64_t> statuses_;
    std::vector<PathStats> paths_;  // by index in the mix; grows as paths are first recorded
    std::vector<TimelineBucket> timeline_;
};

}  // namespace ringlb::loadgen
