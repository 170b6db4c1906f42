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
    EXPECT_EQ(plan.max_connections, 272U);
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

}  // namespace
}  // namespace ringlb::balancer
