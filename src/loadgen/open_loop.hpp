#pragma once

#include <chrono>
#include <cstdint>

namespace ringlb::loadgen {

// The arithmetic of a paced run, as offsets from its start. Request i (from 0) is scheduled at
// i / rate seconds: in an open loop it is sent then whatever the answers to the others do, and its
// latency runs from then, so a stalled server cannot hide its stall by slowing the client down
// (coordinated omission).

// When request `index` is due. `rate`: requests per second, positive. Offsets too far to matter
// (past kFarOffset, much more than any --max-seconds) are capped there.
std::chrono::nanoseconds scheduled_offset(std::uint64_t index, double rate);

constexpr std::chrono::nanoseconds kFarOffset = std::chrono::hours(24 * 365);

// How many of the first `total` requests are due `elapsed` after the start: those whose
// scheduled_offset is at most `elapsed`. Agrees with scheduled_offset exactly, rounding included.
std::uint64_t due_count(std::chrono::nanoseconds elapsed, double rate, std::uint64_t total);

// The requests of an open loop that found no idle connection at their scheduled time and waited
// for one: how many, and the longest wait, from the schedule to the moment a connection took it.
struct Lateness {
    std::uint64_t late = 0;
    std::chrono::nanoseconds worst{0};

    // Counts one request that waited; `scheduled` and `taken` are offsets from the start. A
    // connection taking it before its schedule (it cannot) would count as no wait.
    void record(std::chrono::nanoseconds scheduled, std::chrono::nanoseconds taken);
};

}  // namespace ringlb::loadgen
