#include "controlplane/reconcile_plan.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

using std::chrono::milliseconds;

ReplicaAddress found(std::string handle, std::string name, std::uint32_t id) {
    return {ReplicaHandle(std::move(handle)), std::move(name), id, {}};
}

TEST(RestartBackoff, NoneThenMinDoublingUpToMax) {
    const struct {
        std::uint32_t failures;
        milliseconds delay;
    } cases[] = {{0, milliseconds(0)},       {1, milliseconds(100)},   {2, milliseconds(200)},
                 {3, milliseconds(400)},     {9, milliseconds(25600)}, {10, milliseconds(30000)},
                 {1000, milliseconds(30000)}};
    for (const auto& c : cases) {
        EXPECT_EQ(restart_backoff(c.failures, milliseconds(100), milliseconds(30000)), c.delay)
            << c.failures;
    }
}

TEST(WantedWithoutState, TopsUpWithServerNamesAndSkipsTakenIds) {
    std::mt19937_64 rng(1);
    const auto wanted = wanted_without_state({found("a", "keep", 2)}, 3, rng);
    const std::vector<WantedReplica> expected{{"keep", 2}, {"server-1", 1}, {"server-3", 3}};
    EXPECT_EQ(wanted, expected);
}

TEST(WantedWithoutState, OnePerServerIdAndARandomNameWhenTheUsualOneIsTaken) {
    std::mt19937_64 rng(1);
    const auto wanted =
        wanted_without_state({found("a", "server-2", 1), found("b", "other", 1)}, 2, rng);
    ASSERT_EQ(wanted.size(), 2U);
    EXPECT_EQ(wanted[0], (WantedReplica{"server-2", 1}));
    EXPECT_EQ(wanted[1].server_id, 2U);
    EXPECT_NE(wanted[1].name, "server-2");
    EXPECT_TRUE(wanted[1].name.starts_with("replica-"));
}

TEST(PlanStartup, AdoptsWantedStopsTheRestStartsWhatIsMissing) {
    const std::vector<WantedReplica> wanted{{"b", 2}, {"a", 1}, {"c", 3}};
    const auto plan = plan_startup(wanted, {found("h1", "a", 1), found("h2", "x", 9),
                                            found("h3", "a2", 1), found("h4", "a", 1)});
    ASSERT_EQ(plan.found.size(), 4U);
    EXPECT_TRUE(plan.found[0].adopt);
    EXPECT_FALSE(plan.found[1].adopt) << "not wanted";
    EXPECT_FALSE(plan.found[2].adopt) << "wanted ID, other name";
    EXPECT_FALSE(plan.found[3].adopt) << "second one for server ID 1";
    EXPECT_EQ(plan.found[3].replica.handle, ReplicaHandle("h4"));
    const std::vector<WantedReplica> start{{"b", 2}, {"c", 3}};
    EXPECT_EQ(plan.start, start);
    EXPECT_EQ(plan.order, wanted);
}

}  // namespace
}  // namespace ringlb::balancer
