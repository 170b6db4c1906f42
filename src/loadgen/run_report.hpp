#pragma once

#include <iosfwd>
#include <string>

#include "loadgen/load_run.hpp"

namespace ringlb::loadgen {

// A run as it was asked for (the URL as given) and what it measured.
struct RunReport {
    std::string url;
    RunParams params;
    RunResult result;
};

// The human-readable summary: totals, latency percentiles, requests per replica, failures by
// kind and, when recorded, the timeline.
void print_run_text(std::ostream& out, const RunReport& report);

// Everything as one JSON object on one line. Fields: url, address, requests, concurrency, rate,
// timeout_ms, max_seconds, request_ids, seed, id_header, started_at (Unix seconds),
// elapsed_seconds, requests_per_second, sent, completed, succeeded, failed, unattributed,
// stopped_early, replicas
// ({server ID: successful answers}), statuses ({code: answers}), errors ({kind: failures}),
// latency_ms ({count, mean, p50, p90, p99, max}), and timeline ({interval_seconds, buckets:
// [{start_seconds, replicas, unattributed, failed}]}) or null.
void print_run_json(std::ostream& out, const RunReport& report);

}  // namespace ringlb::loadgen
