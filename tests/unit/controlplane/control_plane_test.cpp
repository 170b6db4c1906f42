#include "controlplane/control_plane.hpp"

#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include "control_fakes.hpp"

namespace ringlb::balancer {
namespace {

using namespace testing;

BalancerOptions small_options() {
    BalancerOptions options;
    options.replicas.initial = 2;
    options.health.interval = milliseconds(100);
    options.replicas.start_timeout = milliseconds(1000);
    return options;
}

// Classic hashing with M = 100: 11 replicas fit with linear probing, fewer with quadratic. Built
// directly, so --max-replicas is not lowered to fit as the command line would.
BalancerOptions small_table_options() {
    BalancerOptions options = small_options();
    options.hash.algorithm = hashing::Algorithm::kClassic;
    options.hash.classic.slots = 100;
    options.hash.classic.probing = hashing::Probing::kQuadratic;
    options.replicas.max = 100;
    return options;
}

struct ControlPlaneTest : ::testing::Test {
    explicit ControlPlaneTest(BalancerOptions with = small_options()) : options(std::move(with)) {}

    asio::io_context io;
    FakeClock clock{io};
    FakeProbe probe;
    FakeDriver driver;
    SnapshotStore snapshots;
    BalancerOptions options;
    ControlPlane control{io, options, driver, snapshots, 1, clock, probe.function()};

    template <class T>
    T run(asio::awaitable<T> task) {
        std::optional<T> result;
        asio::co_spawn(io, std::move(task), [&](const std::exception_ptr& e, T value) {
            if (e) {
                std::rethrow_exception(e);
            }
            result = std::move(value);
        });
        // Probes of starting replicas sleep between tries: let the fake time run until done.
        for (int i = 0; i < 1000 && !result; ++i) {
            clock.advance(milliseconds(10));
        }
        if (!result) {
            ADD_FAILURE() << "the control plane task did not finish";
            return T{};
        }
        return std::move(*result);
    }

    void start() {
        run([](ControlPlane& c) -> asio::awaitable<bool> {
            co_await c.start();
            co_return true;
        }(control));
    }

    ChangeResult add(std::vector<std::string> names, std::uint32_t n) {
        return run(control.add(ReplicaChange{n, std::move(names)}));
    }
    ChangeResult remove(std::vector<std::string> names, std::uint32_t n) {
        return run(control.remove(ReplicaChange{n, std::move(names)}));
    }

    std::vector<std::string> rep() const { return snapshots.load()->names; }
    std::shared_ptr<Backend> backend_of(const std::string& name) const {
        const auto snapshot = snapshots.load();
        for (const auto& backend : snapshot->backends) {
            if (backend && backend->name() == name) {
                return backend;
            }
        }
        return nullptr;
    }
};

struct SmallTableTest : ControlPlaneTest {
    SmallTableTest() : ControlPlaneTest(small_table_options()) {}
};

TEST_F(ControlPlaneTest, StartsServerOneToNAndPublishesThem) {
    start();
    EXPECT_EQ(rep(), (std::vector<std::string>{"server-1", "server-2"}));
    ASSERT_TRUE(backend_of("server-1"));
    EXPECT_TRUE(backend_of("server-1")->is_up());
    EXPECT_EQ(driver.running.size(), 2U);
}

TEST_F(ControlPlaneTest, StartAdoptsWantedReplicasAndStopsTheOthers) {
    driver.to_list = {{ReplicaHandle("old1"), "keep", 5, {}},
                      {ReplicaHandle("old2"), "dup", 5, {}}};
    start();
    EXPECT_EQ(rep(), (std::vector<std::string>{"keep", "server-1"}));
    EXPECT_EQ(driver.stopped, (std::vector<ReplicaHandle>{ReplicaHandle("old2")}));
    EXPECT_EQ(driver.starts, 1);
}

TEST_F(ControlPlaneTest, AddAnswersTheNewMembershipOrWhyNot) {
    start();
    const auto added = add({"S5"}, 2);
    ASSERT_TRUE(std::holds_alternative<ChangeApplied>(added));
    const auto& replicas = std::get<ChangeApplied>(added).replicas;
    ASSERT_EQ(replicas.size(), 4U);
    EXPECT_EQ(replicas[2], "S5");
    EXPECT_TRUE(replicas[3].starts_with("replica-"));
    EXPECT_EQ(rep(), replicas);

    const auto refused = add({"S5"}, 1);
    ASSERT_TRUE(std::holds_alternative<ChangeRefused>(refused));
    EXPECT_FALSE(std::get<ChangeRefused>(refused).message.empty());
}

TEST_F(ControlPlaneTest, AddIsAllOrNothingWhenAReplicaCannotStart) {
    start();
    driver.failing = {"bad"};
    const auto result = add({"good", "bad"}, 2);
    ASSERT_TRUE(std::holds_alternative<ChangeStartFailed>(result));
    EXPECT_EQ(std::get<ChangeStartFailed>(result).name, "bad");
    EXPECT_EQ(std::get<ChangeStartFailed>(result).error, "refused by the test");
    EXPECT_FALSE(driver.handle_of("good")) << "the one that started was stopped again";
    EXPECT_EQ(rep(), (std::vector<std::string>{"server-1", "server-2"}));
}

TEST_F(SmallTableTest, AddPastWhatTheHashTableHoldsIsRefusedAndStartsNothing) {
    start();
    ASSERT_EQ(driver.starts, 2);
    const auto refused = add({}, 20);  // 22 <= --max-replicas, but 22 x 9 points > 100 slots
    ASSERT_TRUE(std::holds_alternative<ChangeRefused>(refused));
    const std::string& message = std::get<ChangeRefused>(refused).message;
    EXPECT_TRUE(
        message.starts_with("<Error> cannot add 20 replicas: the hash table cannot hold them ("))
        << message;
    EXPECT_EQ(driver.starts, 2) << "nothing was started for the refused call";
    EXPECT_EQ(driver.running.size(), 2U);
    EXPECT_EQ(rep(), (std::vector<std::string>{"server-1", "server-2"}));
    EXPECT_TRUE(std::holds_alternative<ChangeApplied>(add({}, 1))) << "one more still fits";
}

TEST_F(ControlPlaneTest, RemoveStopsTheReplicasByHandle) {
    start();
    const auto handle = driver.handle_of("server-2");
    ASSERT_TRUE(handle);
    const auto result = remove({"server-2"}, 1);
    ASSERT_TRUE(std::holds_alternative<ChangeApplied>(result));
    EXPECT_EQ(std::get<ChangeApplied>(result).replicas, (std::vector<std::string>{"server-1"}));
    EXPECT_EQ(driver.stopped, (std::vector<ReplicaHandle>{*handle}));
}

TEST_F(ControlPlaneTest, ExitedReplicaIsReplacedUnderAFreshNameWithTheSameServerId) {
    start();
    const auto handle = *driver.handle_of("server-2");
    driver.exit(handle);
    EXPECT_FALSE(backend_of("server-2") && backend_of("server-2")->is_up());
    clock.advance(milliseconds(100));
    const auto names = rep();
    ASSERT_EQ(names.size(), 2U);
    EXPECT_EQ(names[0], "server-1");
    EXPECT_TRUE(names[1].starts_with("replica-"));
    EXPECT_EQ(backend_of(names[1])->server_id(), 2U);
    EXPECT_TRUE(backend_of(names[1])->is_up());
    EXPECT_NE(std::find(driver.stopped.begin(), driver.stopped.end(), handle),
              driver.stopped.end());
}

TEST_F(ControlPlaneTest, StaleExitOfANameReusedWhileStoppingLeavesTheNewHolderUp) {
    start();
    ASSERT_TRUE(std::holds_alternative<ChangeApplied>(add({"S1"}, 1)));
    const auto old_holder = *driver.handle_of("S1");
    probe.verdicts["S1"] = ProbeVerdict::failed;
    clock.advance(milliseconds(400));  // three failed heartbeats: replaced under a fresh name
    const auto after_replacement = rep();
    ASSERT_EQ(std::count(after_replacement.begin(), after_replacement.end(), "S1"), 0);
    probe.verdicts.erase("S1");
    ASSERT_TRUE(std::holds_alternative<ChangeApplied>(add({"S1"}, 1)));
    const auto new_holder = *driver.handle_of("S1");
    ASSERT_NE(new_holder, old_holder);

    driver.exit(old_holder);  // the old holder's exit comes only now
    clock.advance(milliseconds(1000));
    ASSERT_TRUE(backend_of("S1"));
    EXPECT_TRUE(backend_of("S1")->is_up());
    EXPECT_EQ(driver.handle_of("S1"), new_holder) << "not replaced";

    ASSERT_TRUE(std::holds_alternative<ChangeApplied>(remove({"S1"}, 1)));
    EXPECT_EQ(driver.stopped.back(), new_holder);
}

TEST_F(ControlPlaneTest, ReplicaThatKeepsFailingToStartIsRetriedWithGrowingBackoff) {
    start();
    const auto handle = *driver.handle_of("server-1");
    driver.fail_all = true;
    const int before = driver.starts;
    driver.exit(handle);
    clock.advance(milliseconds(1));
    EXPECT_EQ(driver.starts, before + 1) << "the first replacement starts at once";
    const std::string trying = rep()[0];
    EXPECT_NE(trying, "server-1");
    const struct {
        int wait_ms;
        int starts;
    } steps[] = {{98, 1}, {1, 2}, {199, 2}, {1, 3}, {399, 3}, {1, 4}};
    for (const auto& step : steps) {
        clock.advance(milliseconds(step.wait_ms));
        EXPECT_EQ(driver.starts, before + step.starts) << "after " << step.wait_ms << " ms more";
    }
    EXPECT_EQ(rep().size(), 2U) << "the slot stays while its replica restarts";
    EXPECT_EQ(rep()[0], trying) << "every try of one replacement uses the same new name";
    driver.fail_all = false;
    clock.advance(milliseconds(800));
    EXPECT_EQ(rep()[0], trying);
    EXPECT_TRUE(backend_of(rep()[0]) && backend_of(rep()[0])->is_up());
}

TEST_F(ControlPlaneTest, AStartThatFailsAtStartUpIsRetriedAfterTheBackoffItLogs) {
    driver.fail_all = true;
    ::testing::internal::CaptureStderr();
    start();  // returns after the fake clock's first 10 ms step
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(log.find("event=replica_start_failed name=server-1 id=1 "
                       "error=\"refused by the test\" retry_in=100ms"),
              std::string::npos)
        << log;
    EXPECT_EQ(driver.starts, 2) << "no second try at once";
    clock.advance(milliseconds(85));
    EXPECT_EQ(driver.starts, 2);
    clock.advance(milliseconds(10));
    EXPECT_EQ(driver.starts, 4) << "each slot tried again after 100 ms";
}

TEST_F(ControlPlaneTest, LocalProbeFailuresAreCountedAndChangeNothing) {
    start();
    probe.verdicts["server-1"] = ProbeVerdict::local_failure;
    clock.advance(milliseconds(5000));
    EXPECT_GE(control.probe_local_failures(), 40U);
    EXPECT_TRUE(backend_of("server-1")->is_up());
    EXPECT_EQ(rep(), (std::vector<std::string>{"server-1", "server-2"}));
}

TEST_F(ControlPlaneTest, AReplacementWaitsOutRinglbsOwnShortageWithoutFailingItsStart) {
    start();
    const int before = driver.starts;
    probe.every = ProbeVerdict::local_failure;
    driver.exit(*driver.handle_of("server-1"));
    clock.advance(milliseconds(3000));  // three times --start-timeout
    EXPECT_EQ(driver.starts, before + 1) << "one start, still waiting for its first heartbeat";
    probe.every.reset();
    clock.advance(milliseconds(100));
    const std::string replacement = rep()[0];
    EXPECT_NE(replacement, "server-1");
    EXPECT_TRUE(backend_of(replacement) && backend_of(replacement)->is_up());
    EXPECT_EQ(driver.starts, before + 1);
    EXPECT_EQ(driver.stopped.size(), 1U) << "only the replica that exited was stopped";
}

TEST_F(ControlPlaneTest, StoppingDoesNotWaitForAStartThatRinglbCannotProbe) {
    start();
    probe.every = ProbeVerdict::local_failure;
    driver.exit(*driver.handle_of("server-1"));
    clock.advance(milliseconds(100));
    control.begin_shutdown();
    run([](ControlPlane& c) -> asio::awaitable<bool> {
        co_await c.stop_all();
        co_return true;
    }(control));
    EXPECT_TRUE(rep().empty());
}

}  // namespace
}  // namespace ringlb::balancer
