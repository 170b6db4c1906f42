#include "hashing/capacity.hpp"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"

namespace ringlb::hashing {
namespace {

std::vector<Member> first_members(std::uint32_t n) {
    std::vector<Member> members;
    for (std::uint32_t id = 1; id <= n; ++id) {
        members.push_back(Member{id, 1});
    }
    return members;
}

Config classic(Probing probing) {
    Config config;
    config.algorithm = Algorithm::kClassic;
    config.classic.probing = probing;
    return config;
}

TEST(MemberCapacity, ClassicWithLinearProbingHoldsMOverKMembers) {
    EXPECT_EQ(member_capacity(classic(Probing::kLinear), 100), 512U / 9U);
    EXPECT_THROW(build_table(classic(Probing::kLinear), first_members(57)), std::invalid_argument);
}

TEST(MemberCapacity, ClassicWithQuadraticProbingStopsWhereABuildFails) {
    const Config config = classic(Probing::kQuadratic);
    const std::uint32_t capacity = member_capacity(config, 100);
    EXPECT_GT(capacity, 0U);
    EXPECT_LT(capacity, 512U / 9U);
    EXPECT_NO_THROW(build_table(config, first_members(capacity)));
    // One more does not fit, built at once or added to the table that held the others.
    const auto previous = build_table(config, first_members(capacity));
    bool refused = false;
    try {
        build_table(config, first_members(capacity + 1));
        build_table(config, first_members(capacity + 1), previous.get());
    } catch (const std::invalid_argument&) {
        refused = true;
    }
    EXPECT_TRUE(refused);
}

TEST(MemberCapacity, NeverMoreThanTheLimit) {
    EXPECT_EQ(member_capacity(classic(Probing::kLinear), 10), 10U);
    Config ring;
    ring.algorithm = Algorithm::kRing;
    EXPECT_EQ(member_capacity(ring, 1000), 1000U);
}

TEST(MemberCapacity, MaglevHoldsAtMostItsTableSize) {
    Config maglev;
    maglev.algorithm = Algorithm::kMaglev;
    maglev.maglev.table_size = 7;
    EXPECT_EQ(member_capacity(maglev, 100), 7U);
    EXPECT_NO_THROW(build_table(maglev, first_members(7)));
    EXPECT_THROW(build_table(maglev, first_members(8)), std::invalid_argument);
}

}  // namespace
}  // namespace ringlb::hashing
