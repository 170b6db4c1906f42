#include "controlplane/health_state.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

using Status = HealthState::Status;

TEST(HealthState, StartsUnknownAndRisesAfterRiseSuccesses) {
    HealthState health({.fall = 3, .rise = 2});
    EXPECT_EQ(health.status(), Status::unknown);
    EXPECT_FALSE(health.on_success());
    EXPECT_TRUE(health.on_success());
    EXPECT_TRUE(health.is_up());
    EXPECT_FALSE(health.on_success()) << "no change, no transition";
}

TEST(HealthState, FallsOnlyAfterFallFailuresInARow) {
    HealthState health({.fall = 3, .rise = 1});
    health.on_success();
    EXPECT_FALSE(health.on_failure());
    EXPECT_FALSE(health.on_failure());
    EXPECT_FALSE(health.on_success()) << "a success resets the failure count";
    EXPECT_FALSE(health.on_failure());
    EXPECT_FALSE(health.on_failure());
    EXPECT_TRUE(health.on_failure());
    EXPECT_EQ(health.status(), Status::down);
    EXPECT_FALSE(health.on_failure());
}

TEST(HealthState, ComesBackUp) {
    HealthState health({.fall = 1, .rise = 2});
    health.on_success();
    health.on_success();
    EXPECT_TRUE(health.on_failure());
    EXPECT_FALSE(health.on_success());
    EXPECT_TRUE(health.on_success());
    EXPECT_TRUE(health.is_up());
}

TEST(HealthState, ANewReplicaThatNeverAnswersGoesDown) {
    HealthState health({.fall = 2, .rise = 1});
    EXPECT_FALSE(health.on_failure());
    EXPECT_TRUE(health.on_failure());
    EXPECT_EQ(health.status(), Status::down);
}

TEST(HealthState, FatalIsImmediate) {
    HealthState health({.fall = 5, .rise = 1});
    health.on_success();
    EXPECT_TRUE(health.on_fatal());
    EXPECT_EQ(health.status(), Status::down);
    EXPECT_FALSE(health.on_fatal());
    EXPECT_TRUE(health.on_success()) << "rise 1: one success brings it back";
}

}  // namespace
}  // namespace ringlb::balancer
