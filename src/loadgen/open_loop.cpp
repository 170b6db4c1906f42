#include "loadgen/open_loop.hpp"

#include <algorithm>
#include <cmath>

namespace ringlb::loadgen {

std::chrono::nanoseconds scheduled_offset(std::uint64_t index, double rate) {
    constexpr double kNanosPerSecond = 1e9;
    const double nanos = static_cast<double>(index) * kNanosPerSecond / rate;
    if (!(nanos < static_cast<double>(kFarOffset.count()))) {
        return kFarOffset;
    }
    return std::chrono::nanoseconds(std::llround(nanos));
}

std::uint64_t due_count(std::chrono::nanoseconds elapsed, double rate, std::uint64_t total) {
    if (total == 0 || elapsed < std::chrono::nanoseconds(0)) {
        return 0;
    }
    // A guess from the inverse, then corrected against scheduled_offset itself, whose rounding
    // the guess may miss by one either way.
    const double guess = std::floor(std::chrono::duration<double>(elapsed).count() * rate) + 1.0;
    std::uint64_t due =
        guess >= static_cast<double>(total) ? total : static_cast<std::uint64_t>(guess);
    while (due < total && scheduled_offset(due, rate) <= elapsed) {
        ++due;
    }
    while (due > 0 && scheduled_offset(due - 1, rate) > elapsed) {
        --due;
    }
    return due;
}

void Lateness::record(std::chrono::nanoseconds scheduled, std::chrono::nanoseconds taken) {
    ++late;
    worst = std::max(worst, taken - scheduled);
}

}  // namespace ringlb::loadgen
