#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ringlb::balancer {

// What /metrics reports about ringlb itself rather than its replicas: connections, descriptors
// and the failures that are ringlb's own (out of descriptors or memory), read when /metrics is
// asked for.
struct ProcessMetrics {
    std::uint64_t client_connections = 0;      // open now, every listener
    std::uint64_t upstream_connections = 0;    // open now to replicas, in use or pooled
    std::uint64_t refused_over_limit = 0;      // past --max-connections, answered 503
    std::uint64_t refused_no_descriptor = 0;   // while out of descriptors, answered 503
    bool out_of_descriptors = false;           // the last accept failed for want of descriptors
    std::uint64_t open_files = 0;              // descriptors in use
    std::uint64_t open_files_limit = 0;        // RLIMIT_NOFILE's soft limit
    std::uint64_t probe_local_failures = 0;    // heartbeats that could not be attempted
    std::uint64_t connect_local_failures = 0;  // upstream connects that could not be attempted
    std::uint64_t log_lines_lost = 0;          // stderr's reader took them not
    std::uint64_t streamed_answers = 0;        // answers relayed piece by piece (net::body_mode)
    std::uint64_t streams_cut = 0;             // of those, cut before their end
    std::uint64_t batched_requests = 0;        // sent pipelined with others (upstream_batcher)
    std::uint64_t spliced_bytes = 0;           // body bytes moved through pipes (splice(2))
    std::size_t pipes_open = 0;                // pipes held for that now, idle ones included
    std::uint64_t tunnels_open = 0;            // upgraded connections (WebSockets) open now
    std::uint64_t tunnels_total = 0;           // since start
    std::uint64_t tunnel_bytes = 0;            // passed through tunnels, both ways
};

using ProcessMetricsSource = std::function<ProcessMetrics()>;

// The Prometheus text for `metrics`.
std::string render_process_metrics(const ProcessMetrics& metrics);

// Descriptors this process has open right now (entries of /proc/self/fd), and its soft limit.
std::uint64_t count_open_files();
std::uint64_t open_files_limit();

// Raises the soft open-files limit to the hard one (what HAProxy and nginx do at start), and
// returns the soft limit in force afterwards.
std::uint64_t raise_open_files_limit();

}  // namespace ringlb::balancer
