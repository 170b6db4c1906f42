#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ringlb::log {

// One key=value pair of a log line. Values with spaces, quotes or '=' are quoted (logfmt).
struct Field {
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const std::string& v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(v) {}
    template <std::integral T>
    Field(std::string_view k, T v) : key(k), value(std::to_string(v)) {}
    Field(std::string_view k, double v);

    std::string_view key;
    std::string value;
};

enum class Level { debug, info, warn, error };

// Writes one logfmt line to stderr: time=... level=... event=... key=value ...
// Safe to call from any thread; meant for lifecycle events, never for each request.
void write(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void info(std::string_view event, std::initializer_list<Field> fields = {}) {
    write(Level::info, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
    write(Level::warn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<Field> fields = {}) {
    write(Level::error, event, fields);
}

// Lines below this level are dropped (default: info).
void set_min_level(Level level);

// Lines that could not be written whole (stderr's reader went away or is full), since start.
std::uint64_t lost_lines();

}  // namespace ringlb::log
