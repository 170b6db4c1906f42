#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringlb::drivers {

// Labels on every container the docker driver makes. The driver lists, adopts, stops and removes
// only containers that carry kManagedLabel=kManagedValue *and* its own kInstanceLabel value, so
// two load balancers on one engine never touch each other's replicas.
inline constexpr std::string_view kManagedLabel = "ringlb.managed";
inline constexpr std::string_view kManagedValue = "true";
inline constexpr std::string_view kInstanceLabel = "ringlb.instance";
// The replica's server ID, read back when a restarted load balancer adopts the container.
inline constexpr std::string_view kServerIdLabel = "ringlb.server-id";
// The port the application listens on inside the container (replica_port when it was created),
// read back on adoption, so a load balancer restarted with another --replica-port still reaches
// the replicas it adopts.
inline constexpr std::string_view kReplicaPortLabel = "ringlb.replica-port";

struct DockerDriverOptions {
    // The Docker Engine API's unix socket.
    std::string socket_path = "/var/run/docker.sock";
    // The replica image; never pulled (it is built locally by `make images` or compose).
    std::string image = "ringlb-server:latest";
    // The network replicas join, with their name as alias; their address is their IP on it.
    std::string network = "net1";
    // Created (and labelled as ours) on the first start when missing; when false, a missing
    // network is an error.
    bool create_network = true;
    // This load balancer's value of kInstanceLabel: [a-zA-Z0-9_.-]{1,63}.
    std::string instance = "default";
    // The port the application listens on inside its container (it gets it as PORT).
    std::uint16_t replica_port = 5000;
    // "KEY=VALUE" entries added to each replica's environment (balancer::replica_env_problem
    // says which are usable): PORT and HOST among them replace the driver's values.
    std::vector<std::string> env;
    // Limit of each Engine API call (connect, request, answer together).
    std::chrono::milliseconds api_timeout{10'000};
    // Time a replica gets to drain after SIGTERM before the engine kills it.
    std::chrono::milliseconds stop_grace{2'000};
    // Follow the engine's "die" events to report replicas that exit by themselves, instead of
    // waiting for their heartbeat to fail; retry the stream this often when it breaks.
    bool watch_events = true;
    std::chrono::milliseconds events_retry{1'000};
};

// One line saying what is wrong with the options, or nullopt when they are usable.
std::optional<std::string> validate(const DockerDriverOptions& options);

}  // namespace ringlb::drivers
