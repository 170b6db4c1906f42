#include "common/duration.hpp"

#include <charconv>
#include <cmath>

namespace ringlb::net {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data() || !std::isfinite(value) || value < 0) {
        return std::nullopt;
    }
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    double millis = 0;
    if (unit == "ms") {
        millis = value;
    } else if (unit == "s") {
        millis = value * 1000;
    } else if (unit == "m") {
        millis = value * 60'000;
    } else {
        return std::nullopt;
    }
    constexpr double kMaxMillis = 7 * 24 * 3600 * 1000.0;  // a week: far past any sane timeout
    if (millis > kMaxMillis) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(millis)));
}

std::string format_duration(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    if (ms != 0 && ms % 1000 == 0) {
        return std::to_string(ms / 1000) + "s";
    }
    return std::to_string(ms) + "ms";
}

}  // namespace ringlb::net
