#include "hashing/maglev_table.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "hashing/circular_walk.hpp"
#include "hashing/key_mix.hpp"

namespace ringlb::hashing {

namespace {

constexpr std::uint64_t kOffsetSeed = 0x6d61676c65766f66;  // "maglevof"
constexpr std::uint64_t kSkipSeed = 0x6d61676c65767370;    // "maglevsp"

// Slots per member: size · w / Σw, the leftover slots going to the largest remainders (ties to
// the lower index), so the counts sum to `size` and, for equal weights, differ by at most one.
std::vector<std::uint32_t> slot_targets(std::span<const Member> members, std::uint32_t size) {
    const std::uint64_t total_weight =
        std::accumulate(members.begin(), members.end(), std::uint64_t{0},
                        [](std::uint64_t sum, const Member& m) { return sum + m.weight; });
    std::vector<std::uint32_t> targets(members.size());
    std::vector<std::uint64_t> remainders(members.size());
    std::uint64_t assigned = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const std::uint64_t product = std::uint64_t{size} * members[i].weight;
        targets[i] = static_cast<std::uint32_t>(product / total_weight);
        remainders[i] = product % total_weight;
        assigned += targets[i];
    }
    std::vector<std::size_t> order(members.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&remainders](std::size_t a, std::size_t b) {
        return remainders[a] > remainders[b];
    });
    for (std::uint64_t k = 0; k < size - assigned; ++k) {
        ++targets[order[k]];
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (targets[i] == 0) {
            throw std::invalid_argument("maglev: server " + std::to_string(members[i].id) +
                                        " (weight " + std::to_string(members[i].weight) +
                                        ") earns no slot in a table of " + std::to_string(size) +
                                        "; raise its weight or the table size");
        }
    }
    return targets;
}

// A member below its target, walking its preference list (offset + j·skip mod size).
struct Claimer {
    MemberIndex member = 0;
    std::uint64_t slot = 0;
    std::uint64_t skip = 0;
    std::uint64_t walked = 0;
    std::uint32_t deficit = 0;
    std::uint32_t claimed = 0;
};

// Fills `slots` (some owned, some free) so that member i owns exactly targets[i] of them.
//
// Members below target take turns, each turn claiming its next preferred slot that is free or
// held by a member above target. Turns come round in proportion to each claimer's deficit: in
// pass p of P (P = the largest deficit), a claimer with deficit d claims up to ⌈p·d/P⌉ in total,
// which for a fresh table with equal weights is the paper's one slot per member per round.
//
// Why it terminates within one pass over each preference list: a slot that is not claimable
// (held by a member at or below target) never becomes claimable, since only members below
// target claim and they stop at target, and a claimable one stays so until claimed. So while a
// claimer is below target, some claimable slot exists (the counts sum to size), and it cannot
// lie behind the claimer on its list.
std::vector<MemberIndex> fill(std::span<const Member> members, std::uint32_t size,
                              std::vector<std::optional<MemberIndex>> slots,
                              const std::vector<std::uint32_t>& targets) {
    std::vector<std::uint32_t> count(members.size(), 0);
    for (const auto& owner : slots) {
        if (owner) {
            ++count[*owner];
        }
    }
    std::vector<Claimer> claimers;
    std::uint32_t passes = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (count[i] < targets[i]) {
            const std::uint64_t id = members[i].id;
            Claimer claimer{.member = static_cast<MemberIndex>(i),
                            .slot = reduce(mix_key(id, kOffsetSeed), size),
                            .skip = reduce(mix_key(id, kSkipSeed), size - 1U) + 1U,
                            .deficit = targets[i] - count[i]};
            passes = std::max(passes, claimer.deficit);
            claimers.push_back(claimer);
        }
    }
    for (std::uint64_t pass = 1; !claimers.empty(); ++pass) {
        for (Claimer& c : claimers) {
            const std::uint64_t quota = (pass * c.deficit + passes - 1) / passes;
            while (c.claimed < quota) {
                if (c.walked == size) {
                    std::abort();  // cannot happen: see the termination argument above
                }
                auto& owner = slots[c.slot];
                c.slot = (c.slot + c.skip) % size;
                ++c.walked;
                if (owner && count[*owner] <= targets[*owner]) {
                    continue;
                }
                if (owner) {
                    --count[*owner];
                }
                owner = c.member;
                ++count[c.member];
                ++c.claimed;
            }
        }
        std::erase_if(claimers, [](const Claimer& c) { return c.claimed == c.deficit; });
    }
    std::vector<MemberIndex> entries(size);
    for (std::size_t slot = 0; slot < size; ++slot) {
        entries[slot] = slots[slot].value();  // every slot is owned once all targets are met
    }
    return entries;
}

// The previous table's slots with its member indices translated to `members`' (both sorted by
// id); slots of members that are gone are free.
std::vector<std::optional<MemberIndex>> carry_over(std::span<const Member> members,
                                                   const Table& previous,
                                                   std::span<const MemberIndex> entries) {
    const auto old_members = previous.members();
    std::vector<std::optional<MemberIndex>> renumber(old_members.size());
    std::size_t next = 0;
    for (std::size_t old = 0; old < old_members.size(); ++old) {
        while (next < members.size() && members[next].id < old_members[old].id) {
            ++next;
        }
        if (next < members.size() && members[next].id == old_members[old].id) {
            renumber[old] = static_cast<MemberIndex>(next);
        }
    }
    std::vector<std::optional<MemberIndex>> slots(entries.size());
    for (std::size_t slot = 0; slot < entries.size(); ++slot) {
        slots[slot] = renumber[entries[slot]];
    }
    return slots;
}

}  // namespace

std::shared_ptr<const MaglevTable> MaglevTable::build(Algorithm algorithm,
                                                      const MaglevParams& params,
                                                      std::vector<Member> members,
                                                      const Table* previous) {
    const std::uint32_t size = params.table_size;
    if (members.empty()) {
        return std::make_shared<const MaglevTable>(algorithm, std::move(members),
                                                   std::vector<MemberIndex>{});
    }
    if (members.size() > size) {
        throw std::invalid_argument("maglev: " + std::to_string(members.size()) +
                                    " members do not fit in a table of " + std::to_string(size));
    }
    const std::vector<std::uint32_t> targets = slot_targets(members, size);
    std::vector<std::optional<MemberIndex>> slots(size);
    const auto* const before = dynamic_cast<const MaglevTable*>(previous);
    if (algorithm == Algorithm::kMaglevIncremental && before != nullptr &&
        before->entries_.size() == size) {
        slots = carry_over(members, *before, before->entries_);
    }
    auto entries = fill(members, size, std::move(slots), targets);
    return std::make_shared<const MaglevTable>(algorithm, std::move(members), std::move(entries));
}

MaglevTable::MaglevTable(Algorithm algorithm, std::vector<Member> members,
                         std::vector<MemberIndex> entries)
    : Table(std::move(members)), algorithm_(algorithm), entries_(std::move(entries)) {}

std::optional<MemberIndex> MaglevTable::walk(Key key, AcceptRef accept) const noexcept {
    const std::size_t slot = reduce(mix_key(key), entries_.size());
    return walk_circle(entries_, slot, static_cast<std::uint32_t>(members().size()), accept);
}

Stats MaglevTable::stats() const {
    Stats stats{.table_size = entries_.size(),
                .shares = std::vector<double>(members().size(), 0.0)};
    const double slot_share = 1.0 / static_cast<double>(entries_.size());
    for (const MemberIndex member : entries_) {
        stats.shares[member] += slot_share;
    }
    return stats;
}

}  // namespace ringlb::hashing
