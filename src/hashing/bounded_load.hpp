#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "hashing/key.hpp"
#include "hashing/member.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with
// Bounded Loads", SODA 2018, arXiv:1608.01350 (2016), §2): no member may hold more than
// c = ⌈(1 + ε) · m / n⌉ of the m requests in flight (the new one included) over n members; a key
// whose owner is full goes on to the next member of its order that is not. Some member is always
// below c, so a non-empty table always answers, and no member exceeds c.
//
// Worked example: 3 members holding 5, 1 and 0 requests, ε = 0.25: m = 7, c = ⌈1.25 · 7 / 3⌉ = 3;
// a key owned by the first member (5 ≥ 3) moves on to the next member of its order.
//
// The library does not own the counts: the data plane passes its own, indexed like
// Table::members().

// c when `total_in_flight` requests are in flight over `members` members, before the new one;
// at least 1. For a data plane that keeps a running total instead of reading every count.
std::uint32_t bounded_load_capacity(std::uint64_t total_in_flight, std::size_t members,
                                    double epsilon) noexcept;

// c for these counts; at least 1. Precondition: epsilon > 0 and finite, in_flight not empty.
std::uint32_t bounded_load_capacity(std::span<const std::uint32_t> in_flight,
                                    double epsilon) noexcept;

// The first member of `key`'s order holding fewer than c requests. Precondition:
// in_flight.size() == table.members().size() (aborts otherwise: a mismatch is a bug in the
// caller, not a state to route around). nullopt only for an empty table.
std::optional<MemberIndex> pick_bounded(const Table& table, Key key,
                                        std::span<const std::uint32_t> in_flight,
                                        double epsilon) noexcept;

}  // namespace ringlb::hashing
