// The statistics `ringlb-load simulate` prints, checked on inputs whose answers are known.

#include "loadgen/simulation.hpp"

#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

TEST(Balance, PerfectSplitHasPeakToMeanOneAndNoSpread) {
    const Balance balance = balance_of({250, 250, 250, 250});
    EXPECT_DOUBLE_EQ(balance.peak_to_mean, 1.0);
    EXPECT_DOUBLE_EQ(balance.stddev, 0.0);
    EXPECT_EQ(balance.shares, (std::vector<double>{0.25, 0.25, 0.25, 0.25}));
}

TEST(Balance, SkewedSplitMatchesHandComputation) {
    // Shares 0.6, 0.2, 0.2: peak 0.6 over mean 1/3 is 1.8; deviations 4/15, -2/15, -2/15 give
    // variance (16 + 4 + 4) / 225 / 3 = 8/225.
    const Balance balance = balance_of({60, 20, 20});
    EXPECT_NEAR(balance.peak_to_mean, 1.8, 1e-12);
    EXPECT_NEAR(balance.stddev, std::sqrt(8.0 / 225.0), 1e-12);
}

TEST(KeyStream, IsDeterministicAndStaysInItsSpace) {
    KeyStream a(7, KeySpace::kSixDigit);
    KeyStream b(7, KeySpace::kSixDigit);
    std::set<std::uint64_t> distinct;
    for (int i = 0; i < 10000; ++i) {
        const std::uint64_t key = a.next();
        ASSERT_EQ(key, b.next());
        ASSERT_GE(key, 100000U);
        ASSERT_LE(key, 999999U);
        distinct.insert(key);
    }
    EXPECT_GT(distinct.size(), 9900U);
    EXPECT_NE(KeyStream(1, KeySpace::kUniform).next(), KeyStream(2, KeySpace::kUniform).next());
}

SimulationParams params_for(hashing::Algorithm algorithm, std::uint32_t replicas) {
    SimulationParams params;
    params.config.algorithm = algorithm;
    params.replicas = replicas;
    params.keys = 200000;
    params.seed = 3;
    return params;
}

TEST(Simulate, SameParamsGiveTheSameResult) {
    const auto params = params_for(hashing::Algorithm::kRing, 5);
    const SimulationResult a = simulate(params);
    const SimulationResult b = simulate(params);
    EXPECT_EQ(a.shares, b.shares);
    ASSERT_TRUE(a.remove && b.remove);
    EXPECT_EQ(a.remove->moved, b.remove->moved);
    EXPECT_EQ(a.add.moved, b.add.moved);
}

// A ring moves exactly the removed replica's keys: moved equals its share, nothing spurious.
TEST(Simulate, RingRemovalMovesExactlyTheRemovedShare) {
    const SimulationResult result = simulate(params_for(hashing::Algorithm::kRing, 6));
    ASSERT_TRUE(result.remove.has_value());
    EXPECT_DOUBLE_EQ(result.remove->spurious, 0.0);
    EXPECT_NEAR(result.remove->moved, result.shares[result.remove->server_id - 1], 1e-12);
    EXPECT_DOUBLE_EQ(result.remove->ideal, 1.0 / 6.0);
    EXPECT_DOUBLE_EQ(result.add.spurious, 0.0);
    EXPECT_DOUBLE_EQ(result.add.ideal, 1.0 / 7.0);
    EXPECT_EQ(result.add.server_id, 7U);
}

// Rebuilding Maglev from scratch shuffles a little more than the removed share.
TEST(Simulate, RebuiltMaglevCountsSpuriousMoves) {
    const SimulationResult result = simulate(params_for(hashing::Algorithm::kMaglev, 20));
    ASSERT_TRUE(result.remove.has_value());
    EXPECT_GT(result.remove->spurious, 0.0);
    EXPECT_NEAR(result.remove->moved - result.remove->spurious,
                result.shares[result.remove->server_id - 1], 1e-12);
}

TEST(Simulate, OneReplicaHasNoRemoval) {
    const SimulationResult result = simulate(params_for(hashing::Algorithm::kMaglev, 1));
    EXPECT_FALSE(result.remove.has_value());
    EXPECT_EQ(result.shares, std::vector<double>{1.0});
    EXPECT_DOUBLE_EQ(result.add.ideal, 0.5);
}

TEST(Simulate, RejectsZeroReplicasAndBadConfigurations) {
    EXPECT_THROW((void)simulate(params_for(hashing::Algorithm::kRing, 0)), std::invalid_argument);
    auto params = params_for(hashing::Algorithm::kMaglev, 3);
    params.config.maglev.table_size = 100;
    EXPECT_THROW((void)simulate(params), std::invalid_argument);
}

}  // namespace
}  // namespace ringlb::loadgen
