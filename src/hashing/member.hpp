#pragma once

#include <cstdint>

namespace ringlb::hashing {

// One replica as the hashing layer sees it. `id` is the replica's stable server ID: it alone fixes
// the member's positions, so a replica replaced under the same ID gets the same keys back.
struct Member {
    std::uint32_t id = 0;
    std::uint32_t weight = 1;  // relative share; must be >= 1

    friend bool operator==(const Member&, const Member&) = default;
};

// A position in Table::members() (sorted by id). Tables answer with indices so the data plane can
// keep per-member arrays (health, in-flight counts, connection pools) in the same order.
using MemberIndex = std::uint32_t;

// Bounds the member count so that a pick can track the members it has already returned in a
// fixed-size bitset on the stack instead of allocating.
inline constexpr std::uint32_t kMaxMembers = 65536;

}  // namespace ringlb::hashing
