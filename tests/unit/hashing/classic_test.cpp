// The assignment's map: its known answers (docs/contract.md), its probing, and its imbalance.

#include <array>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "hashing/classic_functions.hpp"
#include "hashing/classic_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

constexpr std::uint32_t kSlots = 512;

TEST(ClassicFunctions, RequestSlotMatchesSpecKnownAnswers) {
    const std::vector<std::pair<Key, std::uint32_t>> known{{0, 17},       {1, 20},     {12, 185},
                                                           {234, 457},    {1012, 137}, {12798, 17},
                                                           {234280, 161}, {132574, 81}};
    for (const auto& [request_id, slot] : known) {
        EXPECT_EQ(request_slot(ClassicFunctions::kAssignment, request_id, kSlots), slot)
            << "H(" << request_id << ")";
    }
}

TEST(ClassicFunctions, VirtualServerSlotMatchesSpecKnownAnswers) {
    const std::array<std::uint32_t, 9> server_1{26, 29, 34, 41, 50, 61, 74, 89, 106};
    const std::array<std::uint32_t, 9> server_4321{474, 477, 482, 489, 498, 509, 10, 25, 42};
    for (std::uint32_t j = 0; j < 9; ++j) {
        EXPECT_EQ(virtual_server_slot(ClassicFunctions::kAssignment, 1, j, kSlots), server_1[j])
            << "Φ(1, " << j << ")";
        EXPECT_EQ(virtual_server_slot(ClassicFunctions::kAssignment, 4321, j, kSlots),
                  server_4321[j])
            << "Φ(4321, " << j << ")";
    }
}

TEST(ClassicFunctions, AssignmentRequestHashReachesOnly87Slots) {
    std::set<std::uint32_t> reached;
    for (Key i = 0; i < kSlots; ++i) {
        reached.insert(request_slot(ClassicFunctions::kAssignment, i, kSlots));
    }
    EXPECT_EQ(reached.size(), 87U);
}

TEST(ClassicFunctions, StrongFunctionsReachEverySlot) {
    for (const auto functions : {ClassicFunctions::kSplitMix, ClassicFunctions::kXxh3}) {
        std::set<std::uint32_t> reached;
        for (Key i = 100000; i < 110000; ++i) {
            const std::uint32_t slot = request_slot(functions, i, kSlots);
            ASSERT_LT(slot, kSlots);
            reached.insert(slot);
        }
        EXPECT_EQ(reached.size(), kSlots) << classic_functions_name(functions);
    }
}

__extension__ using Uint128 = unsigned __int128;

TEST(ClassicFunctions, AssignmentArithmeticIsExactForLargeIds) {
    // Reducing first must give what exact arithmetic gives, for any M, not only powers of two.
    // (i < 2^63, so i² + 2i + 17 fits in 128 bits.)
    const std::uint32_t slots = 509;
    for (Key i : {Key{4294967296}, Key{9223372036854775807ULL}, Key{999999}}) {
        const auto r = static_cast<Uint128>(i);
        const auto expected = static_cast<std::uint32_t>((r * r + 2 * r + 17) % slots);
        EXPECT_EQ(request_slot(ClassicFunctions::kAssignment, i, slots), expected) << i;
    }
}

std::vector<ClassicTable::Occupant> occupants_of(const Config& config,
                                                 const std::vector<Member>& members) {
    const auto table = build_table(config, members);
    return dynamic_cast<const ClassicTable&>(*table).occupants();
}

TEST(ClassicTable, LinearProbingTakesTheNextFreeSlot) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    config.classic = {.slots = 16, .virtual_servers = 1};
    // Φ(i, 0) = i² + 25 ≡ 9 (mod 16) for i = 4, 8 and 12: all three want slot 9.
    const auto occupants = occupants_of(config, {{.id = 4}, {.id = 8}, {.id = 12}});
    ASSERT_EQ(occupants.size(), 3U);
    EXPECT_EQ(occupants[0].slot, 9U);
    EXPECT_EQ(occupants[1].slot, 10U);
    EXPECT_EQ(occupants[2].slot, 11U);
}

TEST(ClassicTable, QuadraticProbingStepsBySquares) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    config.classic = {.slots = 16, .virtual_servers = 1, .probing = Probing::kQuadratic};
    // The third server finds 9 and 9 + 1 taken and lands on 9 + 4.
    const auto occupants = occupants_of(config, {{.id = 4}, {.id = 8}, {.id = 12}});
    ASSERT_EQ(occupants.size(), 3U);
    EXPECT_EQ(occupants[0].slot, 9U);
    EXPECT_EQ(occupants[1].slot, 10U);
    EXPECT_EQ(occupants[2].slot, 13U);
    EXPECT_EQ(occupants[2].member, 2U);
}

TEST(ClassicTable, RequestGoesToTheFirstOccupiedSlotClockwise) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    const std::vector<Member> members{{.id = 1}, {.id = 2}, {.id = 3}};
    const auto table = build_table(config, members);
    const auto occupants = dynamic_cast<const ClassicTable&>(*table).occupants();
    std::mt19937_64 engine(7);
    std::uniform_int_distribution<Key> six_digits(100000, 999999);
    for (int n = 0; n < 5000; ++n) {
        const Key request = six_digits(engine);
        // The definition, evaluated directly: scan clockwise from H(i) with wrap-around.
        const std::uint32_t home = request_slot(ClassicFunctions::kAssignment, request, kSlots);
        std::optional<MemberIndex> expected;
        for (std::uint32_t step = 0; step < kSlots && !expected; ++step) {
            const std::uint32_t slot = (home + step) % kSlots;
            for (const auto& occupant : occupants) {
                if (occupant.slot == slot) {
                    expected = occupant.member;
                }
            }
        }
        ASSERT_EQ(table->pick(request), expected) << "request " << request;
    }
}

TEST(ClassicTable, AssignmentMapGivesOneOfThreeServersOver80Percent) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    const auto table = build_table(config, std::vector<Member>{{.id = 1}, {.id = 2}, {.id = 3}});
    std::mt19937_64 engine(2024);
    std::uniform_int_distribution<Key> six_digits(100000, 999999);
    std::vector<std::uint64_t> counts(3, 0);
    const int requests = 100000;
    for (int n = 0; n < requests; ++n) {
        ++counts[table->pick(six_digits(engine)).value()];
    }
    const auto peak = *std::max_element(counts.begin(), counts.end());
    EXPECT_GT(static_cast<double>(peak) / requests, 0.80);
}

TEST(ClassicTable, StrongFunctionsSpreadTheSameRequestsFarMoreEvenly) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    config.classic.functions = ClassicFunctions::kXxh3;
    const auto table = build_table(config, std::vector<Member>{{.id = 1}, {.id = 2}, {.id = 3}});
    std::mt19937_64 engine(2024);
    std::uniform_int_distribution<Key> six_digits(100000, 999999);
    std::vector<Key> keys(100000);
    for (Key& key : keys) {
        key = six_digits(engine);
    }
    // 27 virtual servers in 512 slots still balance loosely; the bar is "far from 80 %".
    EXPECT_LT(testing::peak_to_mean(testing::owner_counts(*table, keys)), 1.6);
}

TEST(ClassicTable, RejectsMoreVirtualServersThanSlots) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    // 57 servers × 9 virtual servers = 513 > 512.
    EXPECT_THROW((void)build_table(config, testing::members_with_ids(57)), std::invalid_argument);
    EXPECT_NO_THROW((void)build_table(config, testing::members_with_ids(56)));
}

TEST(ClassicTable, RemovalKeepsEverySurvivingVirtualServerInPlace) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    const auto members = testing::members_with_ids(6);
    const auto before = build_table(config, members);
    const auto after =
        build_table(config, std::vector<Member>(members.begin() + 1, members.end()), before.get());
    std::set<std::pair<std::uint32_t, std::uint32_t>> expected;  // (slot, server id)
    for (const auto& o : dynamic_cast<const ClassicTable&>(*before).occupants()) {
        if (before->members()[o.member].id != members[0].id) {
            expected.insert({o.slot, before->members()[o.member].id});
        }
    }
    std::set<std::pair<std::uint32_t, std::uint32_t>> actual;
    for (const auto& o : dynamic_cast<const ClassicTable&>(*after).occupants()) {
        actual.insert({o.slot, after->members()[o.member].id});
    }
    EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace ringlb::hashing
