// Maglev-specific properties: slot counts, and the incremental update against a rebuild.

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

Config maglev_config(Algorithm algorithm, std::uint32_t table_size = 65537) {
    Config config;
    config.algorithm = algorithm;
    config.maglev.table_size = table_size;
    return config;
}

std::vector<std::int64_t> slot_counts(const Table& table) {
    const Stats stats = table.stats();
    std::vector<std::int64_t> counts;
    for (const double share : stats.shares) {
        counts.push_back(std::llround(share * static_cast<double>(stats.table_size)));
    }
    return counts;
}

void expect_counts_within_one(const Table& table) {
    const auto counts = slot_counts(table);
    const auto [low, high] = std::minmax_element(counts.begin(), counts.end());
    EXPECT_LE(*high - *low, 1) << "N=" << counts.size();
}

TEST(Maglev, EqualWeightsGiveSlotCountsWithinOne) {
    for (const std::uint32_t n : {1U, 2U, 3U, 10U, 100U, 1000U}) {
        const auto table =
            build_table(maglev_config(Algorithm::kMaglev), testing::members_with_ids(n));
        expect_counts_within_one(*table);
    }
}

TEST(Maglev, WeightedSlotCountsAreProportional) {
    const std::vector<Member> members{
        {.id = 1, .weight = 1}, {.id = 2, .weight = 3}, {.id = 3, .weight = 6}};
    const auto table = build_table(maglev_config(Algorithm::kMaglev, 1009), members);
    const auto counts = slot_counts(*table);
    // 1009 · w / 10 = 100.9, 302.7, 605.4 → 101, 303, 605 by largest remainder.
    EXPECT_EQ(counts, (std::vector<std::int64_t>{101, 303, 605}));
}

TEST(Maglev, IncrementalWithoutHistoryEqualsARebuild) {
    const auto members = testing::members_with_ids(17, 40);
    const auto rebuilt = build_table(maglev_config(Algorithm::kMaglev), members);
    const auto incremental = build_table(maglev_config(Algorithm::kMaglevIncremental), members);
    for (const Key key : testing::random_keys(50000, 3)) {
        ASSERT_EQ(incremental->pick(key), rebuilt->pick(key));
    }
}

// A long random history of adds and removes: every step moves only necessary keys and keeps the
// slot counts within one of each other.
TEST(Maglev, IncrementalHistoryStaysBalancedAndMinimal) {
    const Config config = maglev_config(Algorithm::kMaglevIncremental, 4099);
    std::mt19937_64 engine(11);
    std::vector<Member> members = testing::members_with_ids(8);
    std::uint32_t next_id = 100;
    auto table = build_table(config, members);
    const auto keys = testing::random_keys(20000, 5);
    for (int step = 0; step < 60; ++step) {
        const bool add = members.size() < 3 || (members.size() < 30 && engine() % 2 == 0);
        std::set<std::uint32_t> changed;
        if (add) {
            members.push_back({.id = next_id++});
            changed.insert(members.back().id);
        } else {
            const std::size_t victim = engine() % members.size();
            changed.insert(members[victim].id);
            members.erase(members.begin() + static_cast<std::ptrdiff_t>(victim));
        }
        auto next = build_table(config, members, table.get());
        expect_counts_within_one(*next);
        for (const Key key : keys) {
            const std::uint32_t before = testing::owner_id(*table, key);
            const std::uint32_t after = testing::owner_id(*next, key);
            if (before != after) {
                ASSERT_TRUE(changed.contains(add ? after : before))
                    << "step " << step << ": key moved from " << before << " to " << after;
            }
        }
        table = std::move(next);
    }
}

TEST(Maglev, IncrementalRespectsNewWeights) {
    const Config config = maglev_config(Algorithm::kMaglevIncremental, 1009);
    const auto before = build_table(config, testing::members_with_ids(3));
    const std::vector<Member> reweighted{{.id = 1, .weight = 2}, {.id = 2}, {.id = 3}};
    const auto after = build_table(config, reweighted, before.get());
    // 1009 · w / 4 = 504.5, 252.25, 252.25 → 505, 252, 252.
    EXPECT_EQ(slot_counts(*after), (std::vector<std::int64_t>{505, 252, 252}));
}

}  // namespace
}  // namespace ringlb::hashing
