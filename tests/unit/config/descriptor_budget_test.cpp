#include "config/descriptor_budget.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

constexpr DescriptorNeeds kDefaults{10'000, false, 2, 100};
// 64 + 8 x 2 workers + 4 x 100 replicas.
constexpr std::size_t kDefaultReserve = 480;

TEST(DescriptorBudget, ADefaultThatFitsIsKept) {
    const auto plan = plan_descriptors(1'048'576, kDefaults);
    EXPECT_FALSE(plan.error);
    EXPECT_FALSE(plan.lowered);
    EXPECT_EQ(plan.max_connections, 10'000U);
    EXPECT_EQ(plan.reserved, kDefaultReserve);
}

TEST(DescriptorBudget, ADefaultThatDoesNotFitIsLoweredToWhatFits) {
    // Debian's default soft limit: (1024 - 480) / 2 connections.
    const auto plan = plan_descriptors(1024, kDefaults);
    EXPECT_FALSE(plan.error);
    EXPECT_TRUE(plan.lowered);
    // (1024 - 480) / 8 / 2 = 34 pipes; (1024 - 480 - 2 x 34) / 2 = 238 connections.
    EXPECT_EQ(plan.pipes, 34U);
    EXPECT_EQ(plan.max_connections, 238U);
}

TEST(DescriptorBudget, AGivenValueThatDoesNotFitIsRefusedNamingTheFlag) {
    DescriptorNeeds needs = kDefaults;
    needs.max_connections_given = true;
    const auto plan = plan_descriptors(1024, needs);
    ASSERT_TRUE(plan.error);
    EXPECT_EQ(
        *plan.error,
        "--max-connections 10000 needs 20480 descriptors, but the open-files limit (ulimit -n) is "
        "1024: lower it to at most 272 or raise the limit");
}

TEST(DescriptorBudget, AGivenValueThatFitsExactlyIsKept) {
    DescriptorNeeds needs = kDefaults;
    needs.max_connections = 272;
    needs.max_connections_given = true;
    const auto plan = plan_descriptors(1024, needs);
    EXPECT_FALSE(plan.error);
    EXPECT_EQ(plan.max_connections, 272U);
    needs.max_connections = 273;
    EXPECT_TRUE(plan_descriptors(1024, needs).error);
}

TEST(DescriptorBudget, NoLimitOnConnectionsIsNotChecked) {
    DescriptorNeeds needs = kDefaults;
    needs.max_connections = 0;
    needs.max_connections_given = true;
    const auto plan = plan_descriptors(1024, needs);
    EXPECT_FALSE(plan.error);
    EXPECT_EQ(plan.max_connections, 0U);
}

TEST(DescriptorBudget, ALimitBelowTheReserveIsRefusedEitherWay) {
    for (const bool given : {false, true}) {
        DescriptorNeeds needs = kDefaults;
        needs.max_connections_given = given;
        const auto plan = plan_descriptors(kDefaultReserve, needs);
        ASSERT_TRUE(plan.error);
        EXPECT_NE(plan.error->find("ulimit -n) is 480"), std::string::npos) << *plan.error;
    }
}

TEST(DescriptorBudget, PipesGetWhatIsLeftOverOnceEveryConnectionHasItsTwo) {
    struct Row {
        const char* name;
        std::uint64_t limit;
        std::size_t max_connections;
        std::size_t pipes;
    };
    const Row rows[] = {
        {"plenty left: capped", 1'048'576, 10'000, kMaxPipes},
        {"10 left over: 5 pipes", kDefaultReserve + 2 * 100 + 10, 100, 5},
        {"an odd one left over is not half a pipe", kDefaultReserve + 2 * 100 + 11, 100, 5},
        {"exactly full: none", kDefaultReserve + 2 * 100, 100, 0},
        {"lowered to fit: an eighth of the room", 1024, 10'000, 34},
        {"lowered to fit, plenty of room: capped", 1'000'000, 1'000'000, kMaxPipes},
        {"no connection limit: a quarter of the rest", kDefaultReserve + 400, 0, 50},
    };
    for (const Row& row : rows) {
        DescriptorNeeds needs = kDefaults;
        needs.max_connections = row.max_connections;
        const auto plan = plan_descriptors(row.limit, needs);
        EXPECT_FALSE(plan.error) << row.name;
        EXPECT_EQ(plan.pipes, row.pipes) << row.name;
    }
}

}  // namespace
}  // namespace ringlb::balancer
