#include "common/log.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace ringlb::log {

namespace {

std::atomic<Level> g_min_level{Level::info};
std::atomic<std::uint64_t> g_lost_lines{0};

std::string_view level_name(Level level) {
    switch (level) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warn:
            return "warn";
        case Level::error:
            return "error";
    }
    return "unknown";
}

void append_value(std::string_view value, std::string& out) {
    const bool plain =
        !value.empty() && value.find_first_of(" \"=\t\n\\") == std::string_view::npos;
    if (plain) {
        out += value;
        return;
    }
    out += '"';
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    out += '"';
}

void append_time(std::string& out) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    // Microseconds: lines are compared with other clocks' readings (a kill, a request) when
    // measuring detection and replacement times, and milliseconds would round those below zero.
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
        1'000'000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 40> text{};
    const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
    out.append(text.data(), n);
    std::array<char, 12> fraction{};
    std::snprintf(fraction.data(), fraction.size(), ".%06dZ", static_cast<int>(micros));
    out += fraction.data();
}

}  // namespace

Field::Field(std::string_view k, double v) : key(k) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.3f", v);
    value = text.data();
}

void set_min_level(Level level) {
    g_min_level.store(level);
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    if (level < g_min_level.load(std::memory_order_relaxed)) {
        return;
    }
    std::string line = "time=";
    append_time(line);
    line += " level=";
    line += level_name(level);
    line += " event=";
    append_value(event, line);
    for (const Field& field : fields) {
        line += ' ';
        line += field.key;
        line += '=';
        append_value(field.value, line);
    }
    line += '\n';
    // One write(2) per line keeps lines from different threads whole. A line the reader of
    // stderr did not take (it went away: EPIPE, with SIGPIPE ignored) is counted, never fatal.
    const auto written = ::write(STDERR_FILENO, line.data(), line.size());
    if (written != static_cast<ssize_t>(line.size())) {
        g_lost_lines.fetch_add(1, std::memory_order_relaxed);
    }
}

std::uint64_t lost_lines() {
    return g_lost_lines.load(std::memory_order_relaxed);
}

}  // namespace ringlb::log
