#pragma once

// Fakes for the control plane's parts: a clock that moves only when the test says, a probe that
// answers what the test says, a driver that "starts" replicas at once. No sockets, no processes.

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controlplane/control_clock.hpp"
#include "controlplane/probe.hpp"
#include "controlplane/replica_driver.hpp"

namespace ringlb::balancer::testing {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// Runs every handler that is ready, until none is.
inline void settle(asio::io_context& io) {
    do {
        io.restart();
    } while (io.poll() > 0);
}

// Time stands still until advance(); sleepers wake in order of their deadlines.
class FakeClock final : public ControlClock {
  public:
    explicit FakeClock(asio::io_context& io) : io_(io) {}

    TimePoint now() const override { return now_; }

    asio::awaitable<void> sleep(milliseconds duration) override {
        auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                          asio::steady_timer::time_point::max());
        sleepers_.push_back({now_ + duration, timer});
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    }

    // Moves time forward by `duration`, waking each sleeper at its deadline and running what
    // that wakes before moving on.
    void advance(milliseconds duration) {
        const TimePoint target = now_ + duration;
        settle(io_);
        for (;;) {
            const auto next =
                std::min_element(sleepers_.begin(), sleepers_.end(),
                                 [](const Sleeper& a, const Sleeper& b) { return a.at < b.at; });
            if (next == sleepers_.end() || next->at > target) {
                break;
            }
            now_ = std::max(now_, next->at);
            auto timer = next->timer;
            sleepers_.erase(next);
            timer->cancel();
            settle(io_);
        }
        now_ = target;
    }

    std::size_t sleepers() const { return sleepers_.size(); }

  private:
    struct Sleeper {
        TimePoint at;
        std::shared_ptr<asio::steady_timer> timer;
    };

    asio::io_context& io_;
    TimePoint now_{};
    std::vector<Sleeper> sleepers_;
};

// Answers `verdicts[name]` (passed by default) for the replica of that name; counts probes.
struct FakeProbe {
    std::map<std::string, ProbeVerdict> verdicts;
    std::optional<ProbeVerdict> every;  // when set, the verdict for every name
    std::map<std::string, int> probes;

    ProbeFunction function() {
        return [this](const Backend& backend) { return answer(backend.name()); };
    }

  private:
    asio::awaitable<ProbeOutcome> answer(std::string name) {
        ++probes[name];
        const auto it = verdicts.find(name);
        const ProbeVerdict verdict =
            every ? *every : (it == verdicts.end() ? ProbeVerdict::passed : it->second);
        co_return ProbeOutcome{verdict,
                               verdict == ProbeVerdict::passed ? "" : "connection refused"};
    }
};

// Starts replicas at once, each with a new handle "r1", "r2", ...; a name in `failing` fails to
// start. Records what it started and stopped; exit() plays a replica exiting by itself.
class FakeDriver final : public ReplicaDriver {
  public:
    std::vector<std::string> failing;
    bool fail_all = false;
    std::vector<ReplicaAddress> running;
    std::vector<ReplicaHandle> stopped;
    std::vector<ReplicaAddress> to_list;
    int starts = 0;

    std::string_view kind() const override { return "fake"; }

    asio::awaitable<StartResult> start(std::string name, std::uint32_t server_id) override {
        ++starts;
        if (fail_all || std::find(failing.begin(), failing.end(), name) != failing.end()) {
            co_return StartResult{std::nullopt, "refused by the test"};
        }
        ReplicaAddress address{
            ReplicaHandle("r" + std::to_string(starts)),
            name,
            server_id,
            {asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(10000 + starts)}};
        running.push_back(address);
        co_return StartResult{address, {}};
    }

    asio::awaitable<void> stop(ReplicaHandle replica) override {
        stopped.push_back(replica);
        std::erase_if(running, [&](const ReplicaAddress& r) { return r.handle == replica; });
        co_return;
    }

    asio::awaitable<std::vector<ReplicaAddress>> list() override { co_return to_list; }

    void exit(const ReplicaHandle& replica) { report_exit(replica); }

    // The handle of the running replica of that name, if one runs.
    std::optional<ReplicaHandle> handle_of(const std::string& name) const {
        const auto it = std::find_if(running.begin(), running.end(),
                                     [&](const ReplicaAddress& r) { return r.name == name; });
        return it == running.end() ? std::nullopt : std::optional(it->handle);
    }
};

}  // namespace ringlb::balancer::testing
