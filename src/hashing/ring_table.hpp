#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "hashing/config.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// A hash ring with virtual nodes (Karger et al., "Consistent hashing and random trees", STOC 1997,
// §4): member i of weight w puts K·w points on the 64-bit circle at xxh3(i, r), r = 0..K·w-1, and a
// key goes to the first point at or after xxh3(key), clockwise.
//
// Points depend only on their member, so a table is a function of the member set: removing a
// member moves exactly its keys, each to the member whose point follows it. The price is balance:
// a member's share is a sum of K random arcs, whose spread shrinks only as 1/√K.
//
// Worked example: with K = 1 and members 1 and 2, if xxh3(1, 0) < xxh3(key) <= xxh3(2, 0) the key
// goes to member 2; a key past the last point wraps round to the first.
//
// Lookup is O(1) expected: an index over the top bits of the hash points at the first point in
// each bucket, with about one point per bucket, instead of a binary search over N·K points.
class RingTable final : public Table {
  public:
    static std::shared_ptr<const RingTable> build(const RingParams& params,
                                                  std::vector<Member> members);

    [[nodiscard]] Algorithm algorithm() const noexcept override { return Algorithm::kRing; }
    [[nodiscard]] Stats stats() const override;

    // Where point r of server `id` sits on the circle.
    static std::uint64_t point_hash(std::uint32_t id, std::uint32_t replica) noexcept;

    // Precondition: `members` sorted by id. Use build().
    RingTable(const RingParams& params, std::vector<Member> members);

  private:
    [[nodiscard]] std::optional<MemberIndex> walk(Key key,
                                                  AcceptRef accept) const noexcept override;
    [[nodiscard]] std::size_t first_point_at_or_after(std::uint64_t hash) const noexcept;

    std::vector<std::uint64_t> hashes_;        // ascending
    std::vector<MemberIndex> owners_;          // owners_[i] holds hashes_[i]
    std::vector<std::uint32_t> bucket_first_;  // 2^bits + 1 entries
    unsigned shift_ = 0;                       // 64 - bits
};

}  // namespace ringlb::hashing
