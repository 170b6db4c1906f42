#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/health_thresholds.hpp"
#include "config/key_policy.hpp"
#include "hashing/config.hpp"
#include "net/http_limits.hpp"

namespace ringlb::balancer {

using Millis = std::chrono::milliseconds;

struct HealthOptions {
    Millis interval{250};  // between probes of one replica (jittered by ±20 %)
    Millis timeout{500};   // for one probe: connect, send, answer
    HealthThresholds thresholds;
    std::string path = "/heartbeat";
};

struct ProxyOptions {
    // Above the kernel's SYN retries at 1 s and 3 s: a SYN lost once (a full accept queue, a
    // TIME_WAIT left by a server that closed first) costs a second, not the request.
    Millis connect_timeout{3'500};
    Millis response_timeout{10'000};         // to the answer's head (a buffered answer: all of it)
    Millis stream_idle_timeout{60'000};      // between two pieces of a streamed answer
    std::uint32_t failover_attempts = 3;     // replicas tried per request (idempotent methods)
    std::uint64_t max_response_bytes = 0;    // a cap on an answer's body; 0: none
    std::size_t max_idle_per_replica = 128;  // kept-alive connections per replica per worker
    std::size_t upstream_batch = 16;  // most requests sent together on one replica connection
    // A route answering within this, every time lately, may be batched (dataplane/route_speed.hpp).
    Millis upstream_batch_quick{2};
};

struct ReplicaOptions {
    std::uint32_t initial = 3;     // N at start
    std::uint32_t max = 100;       // /add refuses to go past this
    Millis start_timeout{10'000};  // from start to first passed heartbeat
    Millis stop_timeout{5'000};    // SIGTERM to SIGKILL for a replica being stopped
    Millis backoff_min{100};       // respawn delay after the first failure in a row
    Millis backoff_max{30'000};    // the longest delay between respawns
    Millis stable_after{10'000};   // up this long: the failure count resets
};

struct DockerOptions {
    std::string socket = "/var/run/docker.sock";
    std::string image = "ringlb-server:latest";
    std::string network = "net1";
    std::string instance = "ringlb";    // label value that tells this load balancer's containers
    std::uint16_t replica_port = 5000;  // where the application listens inside its container
    std::vector<std::string> env;       // "KEY=VALUE" added to each replica's environment
};

struct AdminOptions {
    std::string token;               // when set, /add and /rm need "Authorization: Bearer <token>"
    bool token_for_metrics = false;  // ... and /metrics too
    std::optional<std::string> listen;  // "HOST:PORT": serve the admin API there, not on --port
    std::uint64_t max_body_bytes = 64ULL * 1024;
};

struct FrontLimits {
    std::size_t max_connections = 10'000;  // client connections at once; 0 for no limit
    bool max_connections_given = false;    // set on the command line or in the environment
    std::size_t max_url_bytes = std::size_t{8} * 1024;  // 414 past it
};

struct BalancerOptions {
    std::string host = "0.0.0.0";
    std::uint16_t port = 5000;
    std::size_t threads = 0;  // resolved to the number of cores
    std::string driver = "process";
    std::string replica_binary;   // process driver: ringlb-server beside ringlb by default
    std::string replica_command;  // process driver: the user's command, instead of ringlb-server
    std::string replica_log_dir;  // process driver: replicas' output to DIR/NAME.log, not the log
    DockerOptions docker;
    ReplicaOptions replicas;
    hashing::Config hash;
    KeyPolicy key_policy;
    HealthOptions health;
    ProxyOptions proxy;
    // Request bodies stream through (body_mode), so no size needs a limit by default.
    net::HttpLimits limits{.max_body_bytes = 0, .stream_bodies = true};
    FrontLimits front;
    AdminOptions admin;
    std::string state_dir;  // where membership survives a restart; empty: it does not
    std::string log_level = "info";
    std::optional<std::string> healthcheck_url;
    Millis healthcheck_timeout{2'000};
};

// What the command line asked for: run with these options, or exit now with this code (after
// --help, --version, or a bad flag, whose one-line message has been printed).
struct ParsedBalancerOptions {
    std::optional<BalancerOptions> options;
    int exit_code = 0;
};

ParsedBalancerOptions parse_balancer_options(int argc, const char* const* argv);

}  // namespace ringlb::balancer
