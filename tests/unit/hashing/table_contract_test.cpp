// One contract, every algorithm: the properties the data plane relies on, stated once and run
// against each algorithm (and each notable parameter set) through a value-parameterised suite.

#include <algorithm>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

using testing::members_with_ids;
using testing::owner_counts;
using testing::owner_id;
using testing::peak_to_mean;
using testing::random_keys;

struct AlgorithmCase {
    std::string name;
    Config config;
    // Largest peak-to-mean share over 200 000 keys for N = 3, 10, 50; absent for the
    // assignment's functions, which do not balance (that is the point; see classic tests).
    std::optional<double> balance_bound;
    // Keys of surviving members that may change owner when one member leaves or joins, as a
    // fraction of all keys: 0 means exactly only the necessary keys move.
    double spurious_bound = 0.0;
    // Skipping a member (pick_first) sends its keys where removing it would.
    bool skip_equals_remove = false;
    // Largest relative error of a weighted member's share (absent: not checked).
    std::optional<double> weight_tolerance;
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const AlgorithmCase& algorithm_case, std::ostream* out) {
    *out << algorithm_case.name;
}

Config with_algorithm(Algorithm algorithm) {
    Config config;
    config.algorithm = algorithm;
    return config;
}

Config classic_with(ClassicFunctions functions, Probing probing, std::uint32_t slots,
                    std::uint32_t virtual_servers) {
    Config config = with_algorithm(Algorithm::kClassic);
    config.classic = {.slots = slots,
                      .virtual_servers = virtual_servers,
                      .functions = functions,
                      .probing = probing};
    return config;
}

std::vector<AlgorithmCase> all_cases() {
    return {
        // The assignment's map: M = 512 and K = 9 hold at most 56 members, so the suite's largest
        // N (50) still fits.
        {.name = "classic_assignment",
         .config = with_algorithm(Algorithm::kClassic),
         .skip_equals_remove = true},
        // Quadratic probing reaches only part of a power-of-two map, so 50 members need more room.
        {.name = "classic_assignment_quadratic",
         .config = classic_with(ClassicFunctions::kAssignment, Probing::kQuadratic, 2048, 9),
         .skip_equals_remove = true},
        // Strong functions in a bigger map balance like a ring with as many virtual nodes. A
        // member's share of a ring is a sum of K·w arcs with relative spread about 1/√(K·w), so
        // the weight tolerance is 4/√256 = 0.25.
        {.name = "classic_xxh3",
         .config = classic_with(ClassicFunctions::kXxh3, Probing::kLinear, 1U << 20U, 256),
         .balance_bound = 1.25,
         .skip_equals_remove = true,
         .weight_tolerance = 0.25},
        {.name = "classic_splitmix",
         .config = classic_with(ClassicFunctions::kSplitMix, Probing::kLinear, 1U << 20U, 256),
         .balance_bound = 1.25,
         .skip_equals_remove = true,
         .weight_tolerance = 0.25},
        {.name = "ring",
         .config = with_algorithm(Algorithm::kRing),
         .balance_bound = 1.25,
         .skip_equals_remove = true,
         .weight_tolerance = 0.25},
        // Rebuilt from scratch: measured at most 0.9 % of keys moving spuriously for N <= 50
        // (about 1/2 % at N = 100); 2 % leaves room for other seeds.
        {.name = "maglev",
         .config = with_algorithm(Algorithm::kMaglev),
         .balance_bound = 1.05,
         .spurious_bound = 0.02,
         .weight_tolerance = 0.05},
        {.name = "maglev_incremental",
         .config = with_algorithm(Algorithm::kMaglevIncremental),
         .balance_bound = 1.05,
         .weight_tolerance = 0.05},
    };
}

class TableContract : public ::testing::TestWithParam<AlgorithmCase> {
  protected:
    [[nodiscard]] std::shared_ptr<const Table> build(const std::vector<Member>& members,
                                                     const Table* previous = nullptr) const {
        return build_table(GetParam().config, members, previous);
    }
};

constexpr std::uint64_t kSeed = 20240531;

TEST_P(TableContract, EmptyTableAnswersNothing) {
    const auto table = build({});
    EXPECT_TRUE(table->empty());
    EXPECT_EQ(table->pick(42), std::nullopt);
    EXPECT_EQ(pick_first(*table, 42, [](MemberIndex) { return true; }), std::nullopt);
    EXPECT_TRUE(table->stats().shares.empty());
}

TEST_P(TableContract, SingleMemberOwnsEveryKeyAndNothingFollows) {
    const auto table = build({Member{.id = 7, .weight = 1}});
    for (const Key key : random_keys(1000, kSeed)) {
        ASSERT_EQ(table->pick(key, 0), MemberIndex{0});
        ASSERT_EQ(table->pick(key, 1), std::nullopt);
    }
    const Stats stats = table->stats();
    ASSERT_EQ(stats.shares.size(), 1U);
    EXPECT_NEAR(stats.shares[0], 1.0, 1e-9);
}

TEST_P(TableContract, SameMembersInAnyOrderGiveTheSameTable) {
    auto members = members_with_ids(20, 100);
    const auto reference = build(members);
    std::mt19937_64 engine(kSeed);
    for (int round = 0; round < 3; ++round) {
        std::shuffle(members.begin(), members.end(), engine);
        const auto shuffled = build(members);
        ASSERT_TRUE(std::equal(shuffled->members().begin(), shuffled->members().end(),
                               reference->members().begin(), reference->members().end()));
        for (const Key key : random_keys(20000, kSeed + 1)) {
            for (std::uint32_t attempt = 0; attempt < 3; ++attempt) {
                ASSERT_EQ(shuffled->pick(key, attempt), reference->pick(key, attempt));
            }
        }
    }
}

TEST_P(TableContract, MembersAreSortedById) {
    const auto table = build({Member{.id = 9}, Member{.id = 2}, Member{.id = 5}});
    ASSERT_EQ(table->members().size(), 3U);
    EXPECT_EQ(table->members()[0].id, 2U);
    EXPECT_EQ(table->members()[1].id, 5U);
    EXPECT_EQ(table->members()[2].id, 9U);
}

TEST_P(TableContract, AttemptsVisitEveryMemberOnceThenStop) {
    for (const std::uint32_t count : {2U, 7U, 50U}) {
        const auto table = build(members_with_ids(count));
        for (const Key key : random_keys(300, kSeed + count)) {
            std::set<MemberIndex> seen;
            for (std::uint32_t attempt = 0; attempt < count; ++attempt) {
                const auto member = table->pick(key, attempt);
                ASSERT_TRUE(member.has_value()) << "N=" << count << " attempt " << attempt;
                ASSERT_LT(*member, count);
                ASSERT_TRUE(seen.insert(*member).second) << "attempt " << attempt << " repeats";
            }
            ASSERT_EQ(table->pick(key, count), std::nullopt);
        }
    }
}

TEST_P(TableContract, PickFirstReturnsTheFirstAcceptedAttempt) {
    const auto table = build(members_with_ids(12));
    for (const Key key : random_keys(2000, kSeed)) {
        // Reject a key-dependent half of the members.
        auto accept = [key](MemberIndex member) { return ((key >> (member % 64U)) & 1U) != 0; };
        std::optional<MemberIndex> expected;
        for (std::uint32_t attempt = 0; attempt < 12 && !expected; ++attempt) {
            const MemberIndex member = table->pick(key, attempt).value();
            if (accept(member)) {
                expected = member;
            }
        }
        ASSERT_EQ(pick_first(*table, key, accept), expected);
    }
    EXPECT_EQ(pick_first(*table, 1, [](MemberIndex) { return false; }), std::nullopt);
}

// Properties that only some algorithms promise get suites of their own, instantiated with just
// those algorithms (the assignment's map, for one, does not balance by design).
class BalancedTableContract : public TableContract {};
class FallbackOrderContract : public TableContract {};
class WeightedTableContract : public TableContract {};

TEST_P(BalancedTableContract, BalanceStaysWithinTheAlgorithmsBound) {
    const auto keys = random_keys(200000, kSeed);
    for (const std::uint32_t count : {3U, 10U, 50U}) {
        const auto table = build(members_with_ids(count));
        EXPECT_LE(peak_to_mean(owner_counts(*table, keys)), *GetParam().balance_bound)
            << "N=" << count;
    }
}

TEST_P(TableContract, StatsSharesSumToOneAndMatchWhereKeysGo) {
    const auto table = build(members_with_ids(10));
    const Stats stats = table->stats();
    ASSERT_EQ(stats.shares.size(), 10U);
    EXPECT_GT(stats.table_size, 0U);
    double sum = 0.0;
    for (const double share : stats.shares) {
        sum += share;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    if (!GetParam().balance_bound) {
        return;  // the assignment's H is far from uniform, so slot shares are not key shares
    }
    const auto keys = random_keys(400000, kSeed);
    const auto counts = owner_counts(*table, keys);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(counts[i]) / static_cast<double>(keys.size()),
                    stats.shares[i], 0.004)
            << "member " << i;
    }
}

// Removing one member: its keys must move; of the others', at most spurious_bound of all keys.
TEST_P(TableContract, RemovingAMemberMovesOnlyItsKeys) {
    const auto keys = random_keys(100000, kSeed);
    for (const std::uint32_t count : {3U, 10U, 50U}) {
        const auto members = members_with_ids(count);
        const auto before = build(members);
        auto remaining = members;
        const std::uint32_t removed = members[count / 2].id;
        std::erase_if(remaining, [removed](const Member& m) { return m.id == removed; });
        const auto after = build(remaining, before.get());
        std::size_t spurious = 0;
        for (const Key key : keys) {
            const std::uint32_t old_owner = owner_id(*before, key);
            const std::uint32_t new_owner = owner_id(*after, key);
            ASSERT_NE(new_owner, removed);
            if (old_owner != removed && old_owner != new_owner) {
                ++spurious;
            }
        }
        EXPECT_LE(static_cast<double>(spurious) / static_cast<double>(keys.size()),
                  GetParam().spurious_bound)
            << "N=" << count << ": " << spurious << " keys of surviving members moved";
    }
}

// Adding one member: keys may only move to it.
TEST_P(TableContract, AddingAMemberMovesKeysOnlyToIt) {
    const auto keys = random_keys(100000, kSeed);
    for (const std::uint32_t count : {3U, 10U, 49U}) {
        const auto members = members_with_ids(count);
        const auto before = build(members);
        auto grown = members;
        const std::uint32_t added = 1000;
        grown.push_back(Member{.id = added});
        const auto after = build(grown, before.get());
        std::size_t spurious = 0;
        std::size_t gained = 0;
        for (const Key key : keys) {
            const std::uint32_t old_owner = owner_id(*before, key);
            const std::uint32_t new_owner = owner_id(*after, key);
            gained += new_owner == added ? 1U : 0U;
            spurious += (new_owner != added && new_owner != old_owner) ? 1U : 0U;
        }
        if (GetParam().balance_bound) {  // the assignment's H may miss a new server's slots
            EXPECT_GT(gained, 0U) << "N=" << count << ": the new member got no keys";
        }
        EXPECT_LE(static_cast<double>(spurious) / static_cast<double>(keys.size()),
                  GetParam().spurious_bound)
            << "N=" << count;
    }
}

TEST_P(FallbackOrderContract, SkippingAMemberSendsItsKeysWhereRemovingItWould) {
    const auto members = members_with_ids(10);
    const auto table = build(members);
    const std::uint32_t skipped = members[3].id;
    auto remaining = members;
    std::erase_if(remaining, [skipped](const Member& m) { return m.id == skipped; });
    const auto without = build(remaining, table.get());
    for (const Key key : random_keys(50000, kSeed)) {
        const auto fallback = pick_first(*table, key, [&](MemberIndex member) {
            return table->members()[member].id != skipped;
        });
        ASSERT_EQ(table->members()[fallback.value()].id, owner_id(*without, key));
    }
}

// A member that is down must not push all its keys onto one neighbour.
TEST_P(BalancedTableContract, AMembersKeysFailOverToManyMembers) {
    const auto table = build(members_with_ids(20));
    std::vector<std::uint64_t> fallback(20, 0);
    for (const Key key : random_keys(200000, kSeed)) {
        if (table->pick(key, 0) == MemberIndex{0}) {
            ++fallback[table->pick(key, 1).value()];
        }
    }
    const auto receivers =
        std::count_if(fallback.begin(), fallback.end(), [](std::uint64_t n) { return n > 0; });
    EXPECT_GE(receivers, 15) << "the first member's keys fell over to too few members";
}

TEST_P(WeightedTableContract, WeightsSetShares) {
    const std::vector<Member> members{{.id = 1, .weight = 1}, {.id = 2, .weight = 2},
                                      {.id = 3, .weight = 3}, {.id = 4, .weight = 4},
                                      {.id = 5, .weight = 1}, {.id = 6, .weight = 1}};
    const auto table = build(members);
    const auto keys = random_keys(300000, kSeed);
    const auto counts = owner_counts(*table, keys);
    for (std::size_t i = 0; i < members.size(); ++i) {
        const double expected = static_cast<double>(keys.size()) * members[i].weight / 12.0;
        EXPECT_NEAR(static_cast<double>(counts[i]) / expected, 1.0, *GetParam().weight_tolerance)
            << "server " << members[i].id << " weight " << members[i].weight;
    }
}

std::vector<AlgorithmCase> cases_where(bool (*promise)(const AlgorithmCase&)) {
    auto cases = all_cases();
    std::erase_if(cases, [promise](const AlgorithmCase& c) { return !promise(c); });
    return cases;
}

std::string case_name(const ::testing::TestParamInfo<AlgorithmCase>& case_info) {
    return case_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(EveryAlgorithm, TableContract, ::testing::ValuesIn(all_cases()),
                         case_name);
INSTANTIATE_TEST_SUITE_P(BalancingAlgorithms, BalancedTableContract,
                         ::testing::ValuesIn(cases_where([](const AlgorithmCase& c) {
                             return c.balance_bound.has_value();
                         })),
                         case_name);
INSTANTIATE_TEST_SUITE_P(RingOrderAlgorithms, FallbackOrderContract,
                         ::testing::ValuesIn(cases_where([](const AlgorithmCase& c) {
                             return c.skip_equals_remove;
                         })),
                         case_name);
INSTANTIATE_TEST_SUITE_P(WeightedAlgorithms, WeightedTableContract,
                         ::testing::ValuesIn(cases_where([](const AlgorithmCase& c) {
                             return c.weight_tolerance.has_value();
                         })),
                         case_name);

}  // namespace
}  // namespace ringlb::hashing
