#pragma once

#include <CLI/App.hpp>

namespace ringlb::loadgen {

// Registers `ringlb-load run` on `app`: sends a bounded number of requests to one URL over
// keep-alive connections and reports which replica answered each, latency percentiles, failures
// by kind and, optionally, a timeline (see load_run.hpp).
void add_run_command(CLI::App& app);

}  // namespace ringlb::loadgen
