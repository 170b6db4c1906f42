#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "hashing/config.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// The Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
// Balancer", NSDI 2016, §3.4). Each member has a preference list, a permutation of the M slots
// (M prime): offset + j·skip mod M, with offset = h1(id) mod M and skip = h2(id) mod (M-1) + 1.
// Members take turns claiming their next preferred free slot until the table is full; a key goes
// to the member in slot xxh3(key) mod M.
//
// Worked example (the paper's Figure 3 shape, M = 7): if member A's list starts 3, 0, 4 and B's
// starts 0, 2, 3, then A takes 3, B takes 0, A's 0 is gone so it takes 4, B takes 2, ... until all
// seven slots are owned; with equal weights the counts differ by at most one.
//
// Weights: each member's slot count is fixed up front (its target, M·w/Σw rounded by largest
// remainder), and a member's turn comes round in proportion to its target.
//
// Two ways to change membership:
// - Algorithm::kMaglev: rebuild from scratch, as in the paper. Balance is near perfect, but the
//   turn order shifts, so some keys of surviving members move too (about 0.5 % of all keys when
//   one of 100 members leaves; docs/hashing.md).
// - Algorithm::kMaglevIncremental: start from the previous table. A surviving member keeps its
//   slots up to its new target; the slots of removed members, and a member's slots beyond its
//   target, are claimed by the members below target, each walking its own preference list as in
//   a fresh build. Only keys that must move do (those of removed members, or those that new
//   members take), and the counts still differ by at most one. Without a previous table, or with
//   one of another size, the result equals a fresh build. The table then depends on membership
//   history, not only on the current members: two balancers that saw different histories may
//   route a key differently.
class MaglevTable final : public Table {
  public:
    // Throws std::invalid_argument if a member's weight is too small to earn a single slot.
    static std::shared_ptr<const MaglevTable> build(Algorithm algorithm, const MaglevParams& params,
                                                    std::vector<Member> members,
                                                    const Table* previous);

    [[nodiscard]] Algorithm algorithm() const noexcept override { return algorithm_; }
    [[nodiscard]] Stats stats() const override;
    // slot → member index, for saving the table (see table_owners.hpp).
    [[nodiscard]] const std::vector<MemberIndex>& entries() const noexcept { return entries_; }

    // Precondition: `entries` has table-size elements, each a valid member index, every member
    // present. Use build().
    MaglevTable(Algorithm algorithm, std::vector<Member> members, std::vector<MemberIndex> entries);

  private:
    [[nodiscard]] std::optional<MemberIndex> walk(Key key,
                                                  AcceptRef accept) const noexcept override;

    Algorithm algorithm_;
    std::vector<MemberIndex> entries_;  // slot → member
};

}  // namespace ringlb::hashing
