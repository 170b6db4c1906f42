#pragma once

// Internal to the hashing library: the walk that ring-shaped tables share.

#include <cstddef>
#include <optional>
#include <span>

#include "hashing/accept_ref.hpp"
#include "hashing/member.hpp"

namespace ringlb::hashing {

// Walks `owners` (a circle: after the last entry comes the first) from `start`, offering each
// member to `accept` the first time it appears, and returns the first one accepted.
// Preconditions: start < owners.size(); every member index below member_count appears in
// `owners`, so one turn of the circle offers them all; member_count <= kMaxMembers.
std::optional<MemberIndex> walk_circle(std::span<const MemberIndex> owners, std::size_t start,
                                       std::uint32_t member_count, AcceptRef accept) noexcept;

}  // namespace ringlb::hashing
