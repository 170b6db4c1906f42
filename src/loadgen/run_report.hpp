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

// The human-readable summary: totals, latency percentiles, the open loop's lateness, one line per
// path when there are several, requests per replica, failures by kind and, when recorded, the
// timeline.
void print_run_text(std::ostream& out, const RunReport& report);

// Everything as one JSON object on one line. Fields: url, address, requests, concurrency, rate,
// open_loop, timeout_ms, max_seconds, request_ids, seed, id_header, started_at (Unix seconds),
// elapsed_seconds, requests_per_second, sent, completed, succeeded, failed, unattributed,
// stopped_early, replicas ({server ID: successful answers}), statuses ({code: answers}), errors
// ({kind: failures}), latency_ms ({count, mean, p50, p90, p99, p99_9, max}), lateness ({late,
// worst_ms} in an open loop, else null), paths ([{path, weight, count, succeeded, failed, errors,
// latency_ms}] in the mix's order, the URL's path alone without a mix), and timeline
// ({interval_seconds, buckets: [{start_seconds, replicas, unattributed, failed}]}) or null.
void print_run_json(std::ostream& out, const RunReport& report);

}  // namespace ringlb::loadgen
