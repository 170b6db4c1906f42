#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ringlb::drivers {

// One line of GET /events: a container event, as far as the driver cares.
struct EngineEvent {
    std::string action;     // "die", "start", ...
    std::string name;       // the container's name
    std::string exit_code;  // for "die": the process's exit status, as the engine wrote it
};

// nullopt when the line is not a JSON container event with a name.
std::optional<EngineEvent> parse_engine_event(std::string_view line);

}  // namespace ringlb::drivers
