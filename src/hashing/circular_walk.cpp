#include "hashing/circular_walk.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace ringlb::hashing {

namespace {

constexpr std::size_t kBitsPerWord = 64;

// The slow part of a walk, once the owner was rejected. Kept out of line so that the common case
// (owner accepted) does not reserve the bitset's stack space.
[[gnu::noinline]] std::optional<MemberIndex> walk_after_owner(std::span<const MemberIndex> owners,
                                                              std::size_t start,
                                                              std::uint32_t member_count,
                                                              AcceptRef accept) noexcept {
    // Only the words for member_count bits are cleared and used.
    std::array<std::uint64_t, kMaxMembers / kBitsPerWord> seen;  // NOLINT: cleared below
    std::fill_n(seen.begin(), (member_count + kBitsPerWord - 1) / kBitsPerWord, std::uint64_t{0});
    auto mark = [&seen](MemberIndex member) noexcept {
        std::uint64_t& word = seen[member / kBitsPerWord];
        const std::uint64_t bit = std::uint64_t{1} << (member % kBitsPerWord);
        const bool fresh = (word & bit) == 0;
        word |= bit;
        return fresh;
    };
    mark(owners[start]);
    std::uint32_t offered = 1;
    std::size_t position = start;
    for (std::size_t step = 1; step < owners.size() && offered < member_count; ++step) {
        position = position + 1 == owners.size() ? 0 : position + 1;
        const MemberIndex member = owners[position];
        if (!mark(member)) {
            continue;
        }
        ++offered;
        if (accept(member)) {
            return member;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<MemberIndex> walk_circle(std::span<const MemberIndex> owners, std::size_t start,
                                       std::uint32_t member_count, AcceptRef accept) noexcept {
    const MemberIndex owner = owners[start];
    if (accept(owner)) {
        return owner;
    }
    if (member_count == 1) {
        return std::nullopt;
    }
    return walk_after_owner(owners, start, member_count, accept);
}

}  // namespace ringlb::hashing
