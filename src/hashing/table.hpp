#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "hashing/accept_ref.hpp"
#include "hashing/algorithm.hpp"
#include "hashing/key.hpp"
#include "hashing/member.hpp"

namespace ringlb::hashing {

struct Stats {
    // Slots (classic, maglev) or points (ring) in the table.
    std::size_t table_size = 0;
    // Per member, in members() order: the fraction of the key space it owns at attempt 0.
    // Sums to 1 for a non-empty table.
    std::vector<double> shares;
};

// An immutable assignment of keys to members, built by build_table() on the control plane and read
// by any number of threads at once (every const member function is safe to call concurrently).
//
// For each key a table defines an order over all of its members: the owner first, then every other
// member exactly once. pick(key, 0) is the owner; pick(key, 1), pick(key, 2), ... are the next
// distinct members, which the data plane uses to skip members that are down and for failover.
// For `classic`, `ring` and Maglev the order is the table's own clockwise order, so skipping a
// member sends its keys exactly where removing it from a `ring` or `classic` table would.
class Table {
  public:
    Table(const Table&) = delete;
    Table& operator=(const Table&) = delete;
    Table(Table&&) = delete;
    Table& operator=(Table&&) = delete;
    virtual ~Table() = default;

    [[nodiscard]] virtual Algorithm algorithm() const noexcept = 0;

    // Sorted by id, ids unique.
    [[nodiscard]] std::span<const Member> members() const noexcept { return members_; }
    [[nodiscard]] bool empty() const noexcept { return members_.empty(); }

    // The attempt-th member of this key's order; nullopt when attempt >= members().size() (so
    // always for an empty table). Does not allocate. Costs O(1) for attempt 0 and a short walk of
    // the table for later attempts.
    [[nodiscard]] std::optional<MemberIndex> pick(Key key,
                                                  std::uint32_t attempt = 0) const noexcept;

    // The first member of this key's order that `accept` takes, or nullopt if it takes none. One
    // walk of the table however many members are rejected, so prefer it to calling pick() with
    // attempt 0, 1, 2, ... (see pick_first() for the lambda-friendly form).
    [[nodiscard]] std::optional<MemberIndex> first_accepted(Key key,
                                                            AcceptRef accept) const noexcept;

    [[nodiscard]] virtual Stats stats() const = 0;

  protected:
    // `members` must be sorted by id with unique ids (build_table() guarantees it).
    explicit Table(std::vector<Member> members) noexcept;

    // Called only when the table is not empty. Visits this key's order, calling `accept` on each
    // member once, and stops at the first member it accepts.
    [[nodiscard]] virtual std::optional<MemberIndex> walk(Key key,
                                                          AcceptRef accept) const noexcept = 0;

  private:
    std::vector<Member> members_;
};

// The first member of `key`'s order for which `accept(MemberIndex)` is true, e.g. the first healthy
// one: pick_first(table, key, [&](MemberIndex m) { return healthy[m]; }).
template <class Accept>
std::optional<MemberIndex> pick_first(const Table& table, Key key, Accept&& accept) noexcept {
    return table.first_accepted(key, AcceptRef(accept));
}

}  // namespace ringlb::hashing
