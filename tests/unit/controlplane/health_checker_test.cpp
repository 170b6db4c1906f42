#include "controlplane/health_checker.hpp"

#include <gtest/gtest.h>

#include "control_fakes.hpp"

namespace ringlb::balancer {
namespace {

using namespace testing;

struct HealthCheckerTest : ::testing::Test {
    asio::io_context io;
    FakeClock clock{io};
    FakeProbe probe;
    HealthOptions options{.interval = milliseconds(100),
                          .timeout = milliseconds(50),
                          .thresholds = {.fall = 3, .rise = 1}};
    std::vector<std::string> downs;
    int ups = 0;
    HealthChecker checker{io.get_executor(),
                          options,
                          clock,
                          probe.function(),
                          {[this](const std::shared_ptr<Backend>& b, const std::string& reason) {
                               downs.push_back(b->name() + ": " + reason);
                           },
                           [this](const std::shared_ptr<Backend>&) { ++ups; }}};
    std::shared_ptr<Backend> backend =
        std::make_shared<Backend>("a", 1, asio::ip::tcp::endpoint{}, 1);

    // One probe interval at most (the interval is jittered by up to 20 %).
    void one_round() { clock.advance(milliseconds(120)); }

    // Exactly `count` more probes of "a", whatever the jitter.
    void probes(int count) {
        const int target = probe.probes["a"] + count;
        while (probe.probes["a"] < target) {
            clock.advance(milliseconds(1));
        }
        ASSERT_EQ(probe.probes["a"], target);
    }
};

TEST_F(HealthCheckerTest, WatchedReplicaIsUpAndProbedEveryJitteredInterval) {
    checker.watch(backend);
    EXPECT_TRUE(backend->is_up());
    clock.advance(milliseconds(79));
    EXPECT_EQ(probe.probes["a"], 0) << "no probe before 80 % of the interval";
    clock.advance(milliseconds(41));
    EXPECT_EQ(probe.probes["a"], 1) << "one probe by 120 % of the interval";
    clock.advance(milliseconds(1000));
    EXPECT_GE(probe.probes["a"], 9);
    EXPECT_LE(probe.probes["a"], 13);
    EXPECT_TRUE(downs.empty());
}

TEST_F(HealthCheckerTest, FallFailuresInARowSayDownOnce) {
    checker.watch(backend);
    probe.verdicts["a"] = ProbeVerdict::failed;
    probes(2);
    EXPECT_TRUE(downs.empty()) << "two failures are not three";
    probes(1);
    ASSERT_EQ(downs.size(), 1U);
    EXPECT_EQ(downs[0], "a: heartbeat: connection refused");
    clock.advance(milliseconds(1000));
    EXPECT_EQ(downs.size(), 1U) << "down is said once";
}

TEST_F(HealthCheckerTest, LocalFailuresLeaveHealthAsItWasAndAreCounted) {
    checker.watch(backend);
    probe.verdicts["a"] = ProbeVerdict::local_failure;
    clock.advance(milliseconds(10'000));
    EXPECT_GE(checker.local_failures(), 80U);
    EXPECT_TRUE(downs.empty()) << "EMFILE says nothing about the replica";
    EXPECT_TRUE(backend->is_up());
    // Nor do they count towards `fall` between real failures.
    probe.verdicts["a"] = ProbeVerdict::failed;
    probes(2);
    probe.verdicts["a"] = ProbeVerdict::local_failure;
    clock.advance(milliseconds(1000));
    EXPECT_TRUE(downs.empty());
}

TEST_F(HealthCheckerTest, LocalFailuresOfADownReplicaDoNotBringItUp) {
    checker.watch(backend);
    probe.verdicts["a"] = ProbeVerdict::failed;
    clock.advance(milliseconds(400));
    ASSERT_EQ(downs.size(), 1U);
    probe.verdicts["a"] = ProbeVerdict::local_failure;
    clock.advance(milliseconds(1000));
    EXPECT_EQ(ups, 0);
    EXPECT_EQ(downs.size(), 1U);
}

TEST_F(HealthCheckerTest, PassedProbeUndoesAWorkersSuspicion) {
    checker.watch(backend);
    backend->set_up(false);  // a worker could not connect
    one_round();
    EXPECT_TRUE(backend->is_up());
    EXPECT_EQ(ups, 0) << "it never went down";
}

TEST_F(HealthCheckerTest, ExitIsDownAtOnceAndForgottenReplicasAreNeither) {
    auto other = std::make_shared<Backend>("b", 2, asio::ip::tcp::endpoint{}, 1);
    checker.watch(backend);
    checker.watch(other);
    checker.on_exit(backend->uid());
    ASSERT_EQ(downs.size(), 1U);
    EXPECT_EQ(downs[0], "a: exited");
    checker.forget(other->uid());
    checker.on_exit(other->uid());
    EXPECT_EQ(downs.size(), 1U);
    const int probed = probe.probes["b"];
    clock.advance(milliseconds(1000));
    EXPECT_EQ(probe.probes["b"], probed) << "a forgotten replica is not probed";
}

TEST_F(HealthCheckerTest, DownReplicaThatPassesAgainIsUp) {
    checker.watch(backend);
    probe.verdicts["a"] = ProbeVerdict::failed;
    clock.advance(milliseconds(400));
    ASSERT_EQ(downs.size(), 1U);
    probe.verdicts["a"] = ProbeVerdict::passed;
    one_round();
    EXPECT_EQ(ups, 1);
    EXPECT_TRUE(backend->is_up());
}

TEST(LogThrottle, OneLinePerPeriodCountingWhatItHeldBack) {
    LogThrottle throttle(milliseconds(1000));
    const ControlClock::TimePoint start{};
    EXPECT_EQ(throttle.admit(start), 1U);
    EXPECT_EQ(throttle.admit(start + milliseconds(10)), std::nullopt);
    EXPECT_EQ(throttle.admit(start + milliseconds(999)), std::nullopt);
    EXPECT_EQ(throttle.admit(start + milliseconds(1000)), 3U);
    EXPECT_EQ(throttle.admit(start + milliseconds(5000)), 1U);
}

}  // namespace
}  // namespace ringlb::balancer
