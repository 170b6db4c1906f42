#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/backend.hpp"
#include "controlplane/control_clock.hpp"
#include "controlplane/health_state.hpp"
#include "controlplane/probe.hpp"

namespace ringlb::balancer {

// At most one line per `period`, saying how many were held back since the last one. Pure.
class LogThrottle {
  public:
    explicit LogThrottle(std::chrono::milliseconds period) : period_(period) {}

    // The number of occurrences the line to write now stands for (this one and those held back),
    // or nothing when this one is held back.
    std::optional<std::uint64_t> admit(ControlClock::TimePoint now);

  private:
    std::chrono::milliseconds period_;
    std::optional<ControlClock::TimePoint> last_;
    std::uint64_t held_ = 0;
};

// Probes the replicas it watches and says when one goes down or comes back up (the protocol
// half, the probe, is injected; so is the clock). One probe per replica every interval ±20 %;
// a HealthState per replica judges the outcomes (fall/rise). Besides probes, two things feed
// it: the driver's notice that a replica exited (on_exit: down at once), and a worker's
// suspicion, which is the worker clearing Backend::is_up — the next passed probe sets it again.
// A probe that could not even be attempted (ProbeVerdict::local_failure) leaves health as it
// was; it is counted and logged (probe_local_failure, at most once a second).
//
// Runs on the control executor only; local_failures() may be read from any thread.
class HealthChecker {
  public:
    struct Events {
        std::function<void(const std::shared_ptr<Backend>&, const std::string& reason)> down;
        std::function<void(const std::shared_ptr<Backend>&)> up;  // optional
    };

    HealthChecker(boost::asio::any_io_executor executor, const HealthOptions& options,
                  ControlClock& clock, ProbeFunction probe, Events events);

    // Starts probing a replica that has just passed a heartbeat: it counts as one success.
    void watch(std::shared_ptr<Backend> backend);
    // Stops probing it (removed, or being replaced); its loop ends at its next turn.
    void forget(std::uint64_t backend_uid);
    bool is_watching(std::uint64_t backend_uid) const { return watched_.contains(backend_uid); }

    // The replica exited: down at once. A replica not watched is ignored.
    void on_exit(std::uint64_t backend_uid);

    std::uint64_t local_failures() const { return local_failures_.load(std::memory_order_relaxed); }

  private:
    struct Watched {
        std::shared_ptr<Backend> backend;
        HealthState health;
    };

    boost::asio::awaitable<void> probe_loop(std::shared_ptr<Backend> backend);
    void on_probe(std::uint64_t backend_uid, const ProbeOutcome& outcome);
    void on_local_failure(const Backend& backend, const ProbeOutcome& outcome);
    std::chrono::milliseconds next_interval();

    boost::asio::any_io_executor executor_;
    const HealthOptions& options_;
    ControlClock& clock_;
    ProbeFunction probe_;
    Events events_;
    std::map<std::uint64_t, Watched> watched_;
    std::mt19937_64 rng_;
    LogThrottle local_failure_log_;
    std::atomic<std::uint64_t> local_failures_{0};
};

}  // namespace ringlb::balancer
