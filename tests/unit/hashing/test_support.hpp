#pragma once

// Shared helpers for the hashing tests: seeded keys and member lists, owner counting.

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "hashing/build_table.hpp"

namespace ringlb::hashing::testing {

// Seeded 64-bit keys; std::mt19937_64's sequence is fixed by the standard, so every platform sees
// the same keys.
inline std::vector<Key> random_keys(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::vector<Key> keys(count);
    for (Key& key : keys) {
        key = engine();
    }
    return keys;
}

// Members with ids first, first + 1, ..., weight 1.
inline std::vector<Member> members_with_ids(std::uint32_t count, std::uint32_t first = 1) {
    std::vector<Member> members(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        members[i] = Member{.id = first + i, .weight = 1};
    }
    return members;
}

// How many of `keys` each member owns (attempt 0).
inline std::vector<std::uint64_t> owner_counts(const Table& table, const std::vector<Key>& keys) {
    std::vector<std::uint64_t> counts(table.members().size(), 0);
    for (const Key key : keys) {
        ++counts[table.pick(key).value()];
    }
    return counts;
}

inline double peak_to_mean(const std::vector<std::uint64_t>& counts) {
    const double total =
        static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}));
    const double peak = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
    return peak / (total / static_cast<double>(counts.size()));
}

// The owner's server id, so owners can be compared across tables with different member lists.
inline std::uint32_t owner_id(const Table& table, Key key, std::uint32_t attempt = 0) {
    return table.members()[table.pick(key, attempt).value()].id;
}

}  // namespace ringlb::hashing::testing
