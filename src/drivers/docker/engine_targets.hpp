#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

// Request targets (path and query) of the Docker Engine API calls the driver makes. Paths carry
// no version prefix, so the engine answers in its own current API version; the fields read back
// (Id, Names, State, Labels, NetworkSettings.Networks.*.IPAddress) are the same in every version
// since 1.24.
namespace ringlb::drivers::engine {

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string percent_encode(std::string_view text);

// {"label": ["k1=v1", "k2=v2"]} for the `filters` query parameter (labels in key order).
std::string label_filters(const std::map<std::string, std::string>& labels);

// /containers/create?name=NAME; the name must already be valid (no escaping needed).
std::string create_container(std::string_view name);
// /containers/ID_OR_NAME/ACTION, or /containers/ID_OR_NAME/json for inspect.
std::string inspect_container(std::string_view id);
std::string start_container(std::string_view id);
std::string stop_container(std::string_view id, std::chrono::milliseconds grace);
// Force-removes (kills first if running) along with the container's anonymous volumes.
std::string remove_container(std::string_view id);
// Every container, running or not, carrying all these labels.
std::string list_containers(const std::map<std::string, std::string>& labels);

std::string inspect_network(std::string_view name);
std::string create_network();

// The event stream of "die" events of containers carrying all these labels.
std::string die_events(const std::map<std::string, std::string>& labels);

}  // namespace ringlb::drivers::engine
