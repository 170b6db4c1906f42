#include "drivers/docker/container_info.hpp"

#include <charconv>
#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "drivers/docker/docker_driver_options.hpp"

namespace ringlb::drivers {

namespace json = boost::json;

namespace {

// The member `key` of `value` when both exist with the right kinds, else nullptr.
const json::value* member(const json::value& value, std::string_view key) {
    const auto* object = value.if_object();
    return object ? object->if_contains(key) : nullptr;
}

std::string string_member(const json::value& value, std::string_view key) {
    const auto* found = member(value, key);
    const auto* text = found ? found->if_string() : nullptr;
    return text ? std::string(*text) : std::string();
}

std::map<std::string, std::string> labels_of(const json::value* labels) {
    std::map<std::string, std::string> out;
    const auto* object = labels ? labels->if_object() : nullptr;
    if (object) {
        for (const auto& entry : *object) {
            if (const auto* text = entry.value().if_string()) {
                out.emplace(entry.key(), *text);
            }
        }
    }
    return out;
}

std::string ip_on(const json::value& container, std::string_view network) {
    const auto* settings = member(container, "NetworkSettings");
    const auto* networks = settings ? member(*settings, "Networks") : nullptr;
    const auto* endpoint = networks ? member(*networks, network) : nullptr;
    return endpoint ? string_member(*endpoint, "IPAddress") : std::string();
}

std::string without_slash(std::string name) {
    if (!name.empty() && name.front() == '/') {
        name.erase(0, 1);
    }
    return name;
}

std::optional<json::value> parse_json(std::string_view text) {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec) {
        return std::nullopt;
    }
    return value;
}

// One element of a list answer: State is a string there, Names a list.
std::optional<ContainerInfo> from_list_entry(const json::value& entry, std::string_view network) {
    ContainerInfo info;
    info.id = string_member(entry, "Id");
    const auto* names = member(entry, "Names");
    if (info.id.empty() || names == nullptr || !names->is_array() || names->as_array().empty() ||
        !names->as_array().front().is_string()) {
        return std::nullopt;
    }
    info.name = without_slash(std::string(names->as_array().front().as_string()));
    info.running = string_member(entry, "State") == "running";
    info.labels = labels_of(member(entry, "Labels"));
    info.ip = ip_on(entry, network);
    return info;
}

// The decimal number in the container's label `key`: digits only, no sign, no spaces.
std::optional<std::uint32_t> labelled_number(const ContainerInfo& container, std::string_view key) {
    const auto found = container.labels.find(std::string(key));
    if (found == container.labels.end()) {
        return std::nullopt;
    }
    const std::string& text = found->second;
    std::uint32_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return number;
}

}  // namespace

std::optional<ContainerInfo> parse_container_inspect(std::string_view text,
                                                     std::string_view network) {
    const auto value = parse_json(text);
    if (!value) {
        return std::nullopt;
    }
    ContainerInfo info;
    info.id = string_member(*value, "Id");
    info.name = without_slash(string_member(*value, "Name"));
    if (info.id.empty() || info.name.empty()) {
        return std::nullopt;
    }
    const auto* state = member(*value, "State");
    const auto* running = state ? member(*state, "Running") : nullptr;
    info.running = running != nullptr && running->is_bool() && running->as_bool();
    const auto* config = member(*value, "Config");
    info.labels = labels_of(config ? member(*config, "Labels") : nullptr);
    info.ip = ip_on(*value, network);
    return info;
}

std::optional<std::vector<ContainerInfo>> parse_container_list(std::string_view text,
                                                               std::string_view network) {
    const auto value = parse_json(text);
    if (!value || !value->is_array()) {
        return std::nullopt;
    }
    std::vector<ContainerInfo> containers;
    for (const auto& entry : value->as_array()) {
        auto info = from_list_entry(entry, network);
        if (!info) {
            return std::nullopt;
        }
        containers.push_back(std::move(*info));
    }
    return containers;
}

std::optional<std::string> parse_created_id(std::string_view text) {
    const auto value = parse_json(text);
    if (!value) {
        return std::nullopt;
    }
    auto id = string_member(*value, "Id");
    if (id.empty()) {
        return std::nullopt;
    }
    return id;
}

bool has_labels(const ContainerInfo& container, const std::map<std::string, std::string>& labels) {
    for (const auto& [key, value] : labels) {
        const auto found = container.labels.find(key);
        if (found == container.labels.end() || found->second != value) {
            return false;
        }
    }
    return true;
}

std::optional<std::uint32_t> labelled_server_id(const ContainerInfo& container) {
    return labelled_number(container, kServerIdLabel);
}

std::optional<std::uint16_t> labelled_replica_port(const ContainerInfo& container) {
    const auto port = labelled_number(container, kReplicaPortLabel);
    if (!port || *port == 0 || *port > std::numeric_limits<std::uint16_t>::max()) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(*port);
}

}  // namespace ringlb::drivers
