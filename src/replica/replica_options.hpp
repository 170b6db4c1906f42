#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/http_limits.hpp"

namespace ringlb::replica {

struct ReplicaOptions {
    std::uint32_t server_id = 0;
    std::string host = "0.0.0.0";
    std::uint16_t port = 5000;
    std::size_t threads = 0;  // resolved to the number of cores
    net::HttpLimits limits;
    // Probe mode: GET this URL, exit 0 on a 2xx answer and 1 otherwise.
    std::optional<std::string> healthcheck_url;
    std::chrono::milliseconds healthcheck_timeout{2'000};
};

// What the command line asked for: run with these options, or exit now with this code (after
// --help, --version, or a bad flag, whose message has already been printed).
struct ParsedReplicaOptions {
    std::optional<ReplicaOptions> options;
    int exit_code = 0;
};

ParsedReplicaOptions parse_replica_options(int argc, const char* const* argv);

}  // namespace ringlb::replica
