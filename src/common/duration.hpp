#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ringlb::net {

// Parses durations as written on command lines: "250ms", "2s", "1.5s", "5m". A bare number is
// rejected, so "--idle-timeout 60" cannot silently mean 60 ms or 60 s.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Formats a duration the way parse_duration reads it ("250ms", "2s").
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace ringlb::net
