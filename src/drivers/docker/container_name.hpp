#pragma once

#include <string_view>

namespace ringlb::drivers {

// True for a name the engine accepts for a container, and which is safe to put in a URL path
// unescaped: [a-zA-Z0-9][a-zA-Z0-9_.-]{1,62}, 2 to 63 characters (the engine refuses one
// character; it allows longer names, but 63 keeps every name usable as a DNS label).
bool is_valid_container_name(std::string_view name);

// The same for a network name, which may also be a single character:
// [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}.
bool is_valid_network_name(std::string_view name);

// True for a value of our own labels: [a-zA-Z0-9_.-]{1,63}.
bool is_valid_label_value(std::string_view value);

// True for an image reference without spaces or control characters, at most 255 bytes. The
// engine judges the rest; this only keeps arbitrary bytes out of the request.
bool is_plausible_image_reference(std::string_view image);

}  // namespace ringlb::drivers
