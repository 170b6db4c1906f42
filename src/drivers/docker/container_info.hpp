#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringlb::drivers {

// What the driver needs to know of a container, from an inspect or list answer.
struct ContainerInfo {
    std::string id;
    std::string name;  // without the engine's leading '/'
    bool running = false;
    std::map<std::string, std::string> labels;
    std::string ip;  // its IPv4 address on the network asked about; empty when not attached
};

// GET /containers/{id}/json. nullopt when the text is not such an answer.
std::optional<ContainerInfo> parse_container_inspect(std::string_view json,
                                                     std::string_view network);

// GET /containers/json. nullopt when the text is not such an answer.
std::optional<std::vector<ContainerInfo>> parse_container_list(std::string_view json,
                                                               std::string_view network);

// The new container's ID in a POST /containers/create answer.
std::optional<std::string> parse_created_id(std::string_view json);

// True when the container carries every one of these labels with the same value.
bool has_labels(const ContainerInfo& container, const std::map<std::string, std::string>& labels);

// The server ID recorded in the container's labels when it was created.
std::optional<std::uint32_t> labelled_server_id(const ContainerInfo& container);

// The port recorded in the container's labels when it was created (1..65535), or nullopt when the
// label is missing (a container made before the label existed) or is not such a number.
std::optional<std::uint16_t> labelled_replica_port(const ContainerInfo& container);

}  // namespace ringlb::drivers
