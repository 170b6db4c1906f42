#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/docker/docker_driver_options.hpp"

namespace ringlb::drivers {

// What the driver asks the engine to create: everything in a container's configuration comes
// from here, and of a client's request only the (validated) name reaches it.
struct ContainerSpec {
    std::string name;
    std::string image;
    std::string network;
    std::vector<std::string> env;  // "KEY=value"
    std::map<std::string, std::string> labels;
    std::int64_t stop_timeout_seconds = 0;
};

// The environment of the replica `name`: SERVER_ID, REPLICA_NAME, PORT (options.replica_port)
// and HOST=0.0.0.0, then options.env, whose PORT or HOST replaces the one above.
std::vector<std::string> replica_environment(const DockerDriverOptions& options,
                                             std::string_view name, std::uint32_t server_id);

// The replica container for `name` and `server_id`: replica_environment(), our labels (with the
// server ID and options.replica_port), on options.network with its name as alias.
ContainerSpec replica_container_spec(const DockerDriverOptions& options, std::string_view name,
                                     std::uint32_t server_id);

// The labels that mark a container or network as made by the load balancer `instance`.
std::map<std::string, std::string> ownership_labels(std::string_view instance);

// The JSON body of POST /containers/create?name=<spec.name>.
std::string create_container_body(const ContainerSpec& spec);

// The JSON body of POST /networks/create for a bridge network with these labels.
std::string create_network_body(std::string_view name,
                                const std::map<std::string, std::string>& labels);

}  // namespace ringlb::drivers
