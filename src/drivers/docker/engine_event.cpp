#include "drivers/docker/engine_event.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace ringlb::drivers {

namespace json = boost::json;

namespace {

std::string string_at(const json::object& object, std::string_view key) {
    const auto* found = object.if_contains(key);
    const auto* text = found ? found->if_string() : nullptr;
    return text ? std::string(*text) : std::string();
}

}  // namespace

std::optional<EngineEvent> parse_engine_event(std::string_view line) {
    boost::system::error_code ec;
    const auto value = json::parse(line, ec);
    const auto* event = ec ? nullptr : value.if_object();
    if (event == nullptr || string_at(*event, "Type") != "container") {
        return std::nullopt;
    }
    const auto* actor = event->if_contains("Actor");
    const auto* actor_object = actor ? actor->if_object() : nullptr;
    const auto* attributes = actor_object ? actor_object->if_contains("Attributes") : nullptr;
    const auto* attribute_object = attributes ? attributes->if_object() : nullptr;
    if (attribute_object == nullptr) {
        return std::nullopt;
    }
    EngineEvent parsed{string_at(*event, "Action"), string_at(*attribute_object, "name"),
                       string_at(*attribute_object, "exitCode")};
    if (parsed.action.empty() || parsed.name.empty()) {
        return std::nullopt;
    }
    return parsed;
}

}  // namespace ringlb::drivers
