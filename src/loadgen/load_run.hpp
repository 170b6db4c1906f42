#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "loadgen/open_loop.hpp"
#include "loadgen/path_mix.hpp"
#include "loadgen/request_ids.hpp"
#include "loadgen/run_stats.hpp"
#include "net/url.hpp"

namespace ringlb::loadgen {

struct RunParams {
    // Where to connect, and the path when `paths` is empty.
    net::HttpUrl url;
    // Each request's path is drawn from this mix by weight, from `ids.seed`.
    std::vector<WeightedPath> paths;
    std::uint64_t requests = 10'000;
    // Keep-alive connections; each sends its requests one after another.
    std::uint32_t concurrency = 16;
    // Per request, from opening the connection (when one is needed) to the answer's last byte.
    std::chrono::milliseconds timeout{5'000};
    // The whole run; requests still in flight then are counted as aborted, the rest are not sent.
    std::chrono::milliseconds max_duration{60'000};
    // Requests per second over all connections, each sent no earlier than its turn; 0 sends each
    // as soon as a connection is free.
    double rate = 0.0;
    // With a rate: each request is sent at its scheduled time on a free connection, or as soon as
    // one is free, and its latency runs from its scheduled time (see open_loop.hpp). Without: each
    // connection sends its next request once it has the last one's answer (a closed loop).
    bool open_loop = false;
    std::string id_header = "X-Request-Id";
    RequestIds ids;
    // Zero: no timeline.
    std::chrono::milliseconds timeline_interval{0};
};

struct RunProgress {
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t total = 0;
    std::chrono::nanoseconds elapsed{0};
};

struct RunResult {
    std::string address;  // the endpoint the URL resolved to, HOST:PORT
    RunStats stats;
    std::uint64_t sent = 0;
    std::chrono::system_clock::time_point started_at;
    std::chrono::nanoseconds elapsed{0};  // from the start to the last request's end
    bool stopped_early = false;           // max_duration ran out before every request was done
    Lateness lateness;  // open loop only: the requests that waited for a connection
};

// The paths a run draws from: `params.paths`, or the URL's own path alone.
std::vector<WeightedPath> mix_of(const RunParams& params);

// Runs the load on the calling thread (one io_context: the load balancer, not this client, is
// what a run measures) and returns when every request is done or max_duration has passed.
// `on_progress`, if set, is called every `progress_interval` and once at the end. Throws
// std::runtime_error when the URL's host does not resolve; request failures are counted, never
// thrown.
RunResult run_load(const RunParams& params,
                   const std::function<void(const RunProgress&)>& on_progress = {},
                   std::chrono::milliseconds progress_interval = std::chrono::milliseconds{200});

}  // namespace ringlb::loadgen
