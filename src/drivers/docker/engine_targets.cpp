#include "drivers/docker/engine_targets.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace ringlb::drivers::engine {

namespace json = boost::json;

namespace {

json::array label_selectors(const std::map<std::string, std::string>& labels) {
    json::array selectors;
    for (const auto& [key, value] : labels) {
        std::string selector = key;
        selector += '=';
        selector += value;
        selectors.emplace_back(std::move(selector));
    }
    return selectors;
}

std::string container_path(std::string_view id, std::string_view action) {
    std::string path = "/containers/";
    path += percent_encode(id);
    path += '/';
    path += action;
    return path;
}

}  // namespace

std::string percent_encode(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4U];
            out += kHex[byte & 0x0fU];
        }
    }
    return out;
}

std::string label_filters(const std::map<std::string, std::string>& labels) {
    return json::serialize(json::object{{"label", label_selectors(labels)}});
}

std::string create_container(std::string_view name) {
    return "/containers/create?name=" + percent_encode(name);
}

std::string inspect_container(std::string_view id) {
    return container_path(id, "json");
}

std::string start_container(std::string_view id) {
    return container_path(id, "start");
}

std::string stop_container(std::string_view id, std::chrono::milliseconds grace) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(grace).count();
    return container_path(id, "stop") + "?t=" + std::to_string(seconds);
}

std::string remove_container(std::string_view id) {
    return "/containers/" + percent_encode(id) + "?force=true&v=true";
}

std::string list_containers(const std::map<std::string, std::string>& labels) {
    return "/containers/json?all=true&filters=" + percent_encode(label_filters(labels));
}

std::string inspect_network(std::string_view name) {
    return "/networks/" + percent_encode(name);
}

std::string create_network() {
    return "/networks/create";
}

std::string die_events(const std::map<std::string, std::string>& labels) {
    const json::object filters{{"type", json::array{"container"}},
                               {"event", json::array{"die"}},
                               {"label", label_selectors(labels)}};
    return "/events?filters=" + percent_encode(json::serialize(filters));
}

}  // namespace ringlb::drivers::engine
