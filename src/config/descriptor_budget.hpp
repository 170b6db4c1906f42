#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ringlb::balancer {

// What ringlb's descriptors are spent on, for the start-up check of --max-connections against the
// process's open-files limit (RLIMIT_NOFILE, raised to its hard limit first).
//
// Every client connection may need an upstream connection too (one request in flight each; the
// idle upstream connections kept for reuse are at most what was once in flight), so a client
// connection counts twice. The rest is reserved whatever the traffic: a base (standard streams,
// logs, the state file and its lock, the Docker socket, the signal pipe, the allocator), a few per
// worker (its epoll, eventfd and timer, its listeners, the spare descriptor that lets it answer 503
// when the limit is reached), and a few per replica (a heartbeat probe's socket, a process
// replica's pidfd and the pipe its output is read from, and the pipe and /dev/null briefly while
// it is spawned).
struct DescriptorNeeds {
    std::size_t max_connections = 0;  // 0: no limit (then nothing can be checked)
    bool max_connections_given = false;
    std::size_t threads = 1;
    std::uint32_t max_replicas = 0;
};

inline constexpr std::size_t kReservedBase = 64;
inline constexpr std::size_t kReservedPerWorker = 8;
inline constexpr std::size_t kReservedPerReplica = 4;
inline constexpr std::size_t kDescriptorsPerConnection = 2;
// A long answer body is moved from the replica to the client through a pipe (two descriptors)
// when descriptors are left over once every connection has its two, or, when ringlb lowers
// --max-connections to fit, from an eighth of the room it keeps for them: at most this many.
inline constexpr std::size_t kMaxPipes = 1024;

struct DescriptorPlan {
    std::size_t max_connections = 0;   // what to run with
    std::size_t reserved = 0;          // descriptors kept for everything but connections
    bool lowered = false;              // max_connections was lowered to fit (log it)
    std::size_t pipes = 0;             // pipes the data plane may hold (2 descriptors each)
    std::optional<std::string> error;  // cannot run: one line to show, naming the flag
};

// With a --max-connections that does not fit `limit`: refused when it was given, else lowered to
// what fits beside an eighth of the room kept for pipes. A limit too small for the reserve alone
// is refused either way.
DescriptorPlan plan_descriptors(std::uint64_t limit, const DescriptorNeeds& needs);

}  // namespace ringlb::balancer
