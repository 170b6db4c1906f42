#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

#include "config/balancer_options.hpp"
#include "controlplane/replica_driver.hpp"
#include "controlplane/state_file.hpp"

namespace ringlb::balancer {

// How long to wait before starting a replacement, after `failures_in_row` failed replicas of
// one slot: nothing after none, then `min`, doubling up to `max`.
std::chrono::milliseconds restart_backoff(std::uint32_t failures_in_row,
                                          std::chrono::milliseconds min,
                                          std::chrono::milliseconds max);

// The replicas to have at start without saved state: what the driver runs (one per server ID),
// topped up to `initial` with server-1, server-2, ... as the assignment names them (a random
// name where that name is taken).
std::vector<WantedReplica> wanted_without_state(const std::vector<ReplicaAddress>& found,
                                                std::uint32_t initial, std::mt19937_64& rng);

// What to do at start with the replicas the driver already runs, and what to start.
struct StartupPlan {
    struct Found {
        ReplicaAddress replica;
        bool adopt = false;  // else stop it: not wanted, or a second one for its server ID
    };
    std::vector<Found> found;          // in the driver's order
    std::vector<WantedReplica> start;  // the wanted replicas nothing adopted fills, wanted order
    std::vector<WantedReplica> order;  // /rep's order: the wanted one
};

StartupPlan plan_startup(const std::vector<WantedReplica>& wanted,
                         const std::vector<ReplicaAddress>& found);

}  // namespace ringlb::balancer
