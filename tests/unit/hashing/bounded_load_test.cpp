#include "hashing/bounded_load.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

TEST(BoundedLoad, CapacityIsCeilingOfOnePlusEpsilonTimesMeanIncludingTheNewRequest) {
    const std::vector<std::uint32_t> in_flight{5, 1, 0};
    // m = 7 with the new request; ⌈1.25 · 7 / 3⌉ = ⌈2.92⌉ = 3.
    EXPECT_EQ(bounded_load_capacity(in_flight, 0.25), 3U);
    EXPECT_EQ(bounded_load_capacity(std::vector<std::uint32_t>{0, 0, 0, 0}, 0.25), 1U);
    EXPECT_EQ(bounded_load_capacity(std::vector<std::uint32_t>{10, 10}, 1.0), 21U);
}

class BoundedLoadOverAlgorithm : public ::testing::TestWithParam<Algorithm> {};

// Properties, on random loads: the answer is below capacity, and every member that came before it
// in the key's order was at or above capacity.
TEST_P(BoundedLoadOverAlgorithm, PicksTheFirstMemberBelowCapacity) {
    Config config;
    config.algorithm = GetParam();
    const auto table = build_table(config, testing::members_with_ids(8));
    std::mt19937_64 engine(99);
    for (const Key key : testing::random_keys(3000, 1)) {
        std::vector<std::uint32_t> in_flight(8);
        for (auto& n : in_flight) {
            n = static_cast<std::uint32_t>(engine() % 12);
        }
        const std::uint32_t capacity = bounded_load_capacity(in_flight, 0.25);
        const auto chosen = pick_bounded(*table, key, in_flight, 0.25);
        ASSERT_TRUE(chosen.has_value());
        ASSERT_LT(in_flight[*chosen], capacity);
        for (std::uint32_t attempt = 0;; ++attempt) {
            const MemberIndex member = table->pick(key, attempt).value();
            if (member == *chosen) {
                break;
            }
            ASSERT_GE(in_flight[member], capacity);
        }
    }
}

// Every request to one hot key, none finishing: no member ever exceeds capacity.
TEST_P(BoundedLoadOverAlgorithm, AHotKeySpillsOverInsteadOfOverloadingItsOwner) {
    Config config;
    config.algorithm = GetParam();
    const auto table = build_table(config, testing::members_with_ids(5));
    std::vector<std::uint32_t> in_flight(5, 0);
    const Key hot = 123456;
    for (int request = 0; request < 1000; ++request) {
        const std::uint32_t capacity = bounded_load_capacity(in_flight, 0.25);
        const MemberIndex member = pick_bounded(*table, hot, in_flight, 0.25).value();
        ++in_flight[member];
        ASSERT_LE(in_flight[member], capacity);
    }
    // Each member holds at most about 1.25 / 5 of the requests, so at least 4 must share them.
    EXPECT_LE(*std::max_element(in_flight.begin(), in_flight.end()), 251U);
    EXPECT_GE(std::count_if(in_flight.begin(), in_flight.end(), [](auto n) { return n > 0; }), 4);
}

TEST_P(BoundedLoadOverAlgorithm, EmptyTableAnswersNothing) {
    Config config;
    config.algorithm = GetParam();
    const auto table = build_table(config, {});
    EXPECT_EQ(pick_bounded(*table, 1, {}, 0.25), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(EveryAlgorithm, BoundedLoadOverAlgorithm,
                         ::testing::ValuesIn(kAllAlgorithms),
                         [](const ::testing::TestParamInfo<Algorithm>& algorithm_info) {
                             std::string name(algorithm_name(algorithm_info.param));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(BoundedLoadDeathTest, CountsThatDoNotMatchTheMembersAbort) {
    const auto table = build_table(Config{}, testing::members_with_ids(3));
    const std::vector<std::uint32_t> two{0, 0};
    EXPECT_DEATH((void)pick_bounded(*table, 1, two, 0.25), "");
}

}  // namespace
}  // namespace ringlb::hashing
