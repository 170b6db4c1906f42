#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/backend.hpp"
#include "controlplane/control_clock.hpp"
#include "controlplane/health_checker.hpp"
#include "controlplane/membership_registry.hpp"
#include "controlplane/probe.hpp"
#include "controlplane/replica_driver.hpp"
#include "net/async_mutex.hpp"

namespace ringlb::balancer {

// Keeps the replicas ringlb has equal to those it should have: starts a replica and waits for
// its first heartbeat, adopts one the driver already runs, and replaces one that went down
// (fresh name, same server ID, after restart_backoff when it keeps dying). The decisions are
// pure functions (reconcile_plan.hpp); this class does their I/O.
//
// Runs on the control executor. Replacements take `membership` like /add and /rm do, and call
// `publish` after every change of a slot.
class Reconciler {
  public:
    struct Deps {
        boost::asio::io_context& control;
        const BalancerOptions& options;
        ReplicaDriver& driver;
        ControlClock& clock;
        ProbeFunction probe;
        MembershipRegistry& registry;
        HealthChecker& checker;
        net::AsyncMutex& membership;
        std::function<void()> publish;
        std::size_t workers;
    };

    // A replica that passed its first heartbeat, or why there is none.
    struct Started {
        std::shared_ptr<Backend> backend;      // null when it failed
        std::optional<ReplicaHandle> replica;  // none when it failed (it has been stopped)
        std::string error;
    };

    explicit Reconciler(Deps deps);

    boost::asio::awaitable<Started> start_until_healthy(std::string name, std::uint32_t server_id);
    // Waits for the heartbeat of a replica the driver already ran; logs replica_adopted.
    boost::asio::awaitable<Started> adopt(ReplicaAddress replica);
    // Completes (true) once the replica is gone; nothing to do for none.
    boost::asio::awaitable<bool> stop(std::optional<ReplicaHandle> replica);

    // The slot's replica is `started`, which passed a heartbeat: route to it and watch it.
    void serve(Slot& slot, Started started);
    // Starts replacing the slot's replica in the background (after the back-off).
    void replace_later(Slot& slot);

    // The health checker's "down": take it out of routing and replace it.
    void on_down(const std::shared_ptr<Backend>& backend, const std::string& reason);
    // The driver's exit notice, matched to a slot by the replica's handle, never by name.
    void on_exit(const ReplicaHandle& replica);

    // From now on replicas that go down are not replaced.
    void begin_shutdown() { shutting_down_ = true; }

    // How long the slot's next start waits, after its failures_in_row failures in a row.
    std::chrono::milliseconds backoff(const Slot& slot) const;

  private:
    // Empty once the replica passed a heartbeat; else why it did not within --start-timeout.
    boost::asio::awaitable<std::string> wait_until_healthy(const Backend& backend,
                                                           const ReplicaHandle* replica);
    boost::asio::awaitable<void> replace(std::uint32_t server_id,
                                         std::optional<std::uint64_t> failed_backend);

    Deps deps_;
    std::mt19937_64 rng_;
    bool shutting_down_ = false;
};

}  // namespace ringlb::balancer
