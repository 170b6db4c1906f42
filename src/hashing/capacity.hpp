#pragma once

#include <cstdint>

#include "hashing/config.hpp"

namespace ringlb::hashing {

// The most members that a table of `config` holds, at most `limit`: the largest n for which the
// members with ids 1..n (weight 1) can be built at once and also by adding them one at a time,
// each table from the previous one (as ringlb's start and its /add calls build them).
//
// `classic` places K virtual servers per member in M slots, so it holds at most M / K members with
// linear probing, and with quadratic probing fewer, where a probe sequence finds no free slot
// (with M = 512 and K = 9: 56 and about 35). Maglev holds at most its table size; the ring has
// no limit below kMaxMembers. ringlb checks --max-replicas against this at start, so that no
// /add ever asks for a table that cannot be built. Call it on a valid config (validate()).
std::uint32_t member_capacity(const Config& config, std::uint32_t limit);

}  // namespace ringlb::hashing
