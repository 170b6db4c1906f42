#pragma once

#include <cstdint>

namespace ringlb::balancer {

// When a replica counts as up or down, from the outcomes of its heartbeat probes.
struct HealthThresholds {
    std::uint32_t fall = 3;  // consecutive failures that take an up replica down
    std::uint32_t rise = 1;  // consecutive successes that bring a replica (back) up
};

}  // namespace ringlb::balancer
