#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "hashing/config.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// The assignment's consistent-hash map (docs/contract.md "Consistent hashing"): M slots; server i
// puts K virtual servers at Φ(i, j), j = 0..K-1, probing past occupied slots; request i goes to the
// first occupied slot at or after H(i), clockwise, wrapping around.
//
// Worked example (M = 512, K = 9, the assignment's pair, servers 1, 2, 3 added in that order):
// server 1 takes 26, 29, 34, 41, 50, 61, 74, 89, 106; server 2 wants 29 (taken) and probes on to
// 30; server 3 wants 34 and 37 (taken) and gets 35 and 38. Every virtual server lands in 26..114,
// so request 12, at H(12) = 185, finds nothing clockwise before the end and wraps round to slot
// 26: server 1. That wrap is why server 1 takes over 80 % of random 6-digit request IDs.
//
// A member of weight w gets K·w virtual servers. Like the assignment's map, the table is updated
// in place: given the previous `classic` table with the same parameters, removed servers' virtual
// servers are deleted and new servers' are probed in among the existing ones, so no surviving
// virtual server moves and only the keys that must move do. Without one, servers are added in id
// order, which makes the result independent of the order members are listed in.
class ClassicTable final : public Table {
  public:
    // Throws std::invalid_argument when the virtual servers do not fit (N·K·w > M, or quadratic
    // probing finds no free slot).
    static std::shared_ptr<const ClassicTable> build(const ClassicParams& params,
                                                     std::vector<Member> members,
                                                     const Table* previous);

    [[nodiscard]] Algorithm algorithm() const noexcept override { return Algorithm::kClassic; }
    [[nodiscard]] Stats stats() const override;
    [[nodiscard]] const ClassicParams& params() const noexcept { return params_; }

    // One occupied slot: where a virtual server sits and whose it is.
    struct Occupant {
        std::uint32_t slot = 0;
        MemberIndex member = 0;
    };

    // The occupied slots, ascending: the map the assignment draws.
    [[nodiscard]] std::vector<Occupant> occupants() const;

    // Precondition: `occupants` sorted by slot, slots distinct and < params.slots, every member
    // present. Use build().
    ClassicTable(const ClassicParams& params, std::vector<Member> members,
                 const std::vector<Occupant>& occupants);

  private:
    [[nodiscard]] std::optional<MemberIndex> walk(Key key,
                                                  AcceptRef accept) const noexcept override;

    ClassicParams params_;
    std::vector<std::uint32_t> slots_;  // occupied slots, ascending
    std::vector<MemberIndex> owners_;   // owners_[i] holds slots_[i]
    std::vector<std::uint32_t>
        next_occupied_;  // per slot: index in slots_ of the first at or after
};

}  // namespace ringlb::hashing
