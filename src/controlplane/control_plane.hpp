#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/admin_request.hpp"
#include "controlplane/control_clock.hpp"
#include "controlplane/health_checker.hpp"
#include "controlplane/membership_registry.hpp"
#include "controlplane/membership_store.hpp"
#include "controlplane/probe.hpp"
#include "controlplane/reconcile_plan.hpp"
#include "controlplane/reconciler.hpp"
#include "controlplane/replica_driver.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "net/async_mutex.hpp"

namespace ringlb::balancer {

// The outcome of /add or /rm, in the control plane's terms; the admin API makes HTTP of it.
struct ChangeApplied {
    std::vector<std::string> replicas;  // every replica now, in /rep order
};
struct ChangeRefused {
    std::string message;  // what is wrong with the request (the contract's wording)
};
struct ChangeStartFailed {
    std::string name;  // the replica that could not start; none of the others were kept
    std::string error;
};
using ChangeResult = std::variant<ChangeApplied, ChangeRefused, ChangeStartFailed>;

// The control plane: the replicas ringlb should have (desired state) and those it has (actual
// state), kept equal. A facade over its parts: the MembershipRegistry (slots, table), the
// HealthChecker (probes), the Reconciler (start, adopt, replace) and the MembershipStore
// (--state-dir). It serialises start-up, /add, /rm and replacements with one AsyncMutex, so
// concurrent admin calls queue instead of interleaving, and publishes a RoutingSnapshot after
// every change.
//
// Threading: everything runs on the control io_context's one thread; the data plane reaches it
// only through co_spawn and the published snapshots.
class ControlPlane {
  public:
    ControlPlane(boost::asio::io_context& control, const BalancerOptions& options,
                 ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers);
    // With an injected clock and probe, for tests.
    ControlPlane(boost::asio::io_context& control, const BalancerOptions& options,
                 ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers,
                 ControlClock& clock, ProbeFunction probe);

    boost::asio::any_io_executor executor() { return control_.get_executor(); }

    // Decides the replicas to run (--state-dir's saved membership, else what the driver already
    // runs topped up to --replicas), adopts the running ones and starts the rest.
    // Completes when each has started or failed; failed ones are retried in the background.
    boost::asio::awaitable<void> start();

    // /add and /rm, validated payloads in. They complete when the change is done: new replicas
    // serve (passed a heartbeat), removed ones are out of the ring and stopped.
    boost::asio::awaitable<ChangeResult> add(ReplicaChange change);
    boost::asio::awaitable<ChangeResult> remove(ReplicaChange change);

    // From now on replicas that die are not replaced: ringlb is shutting down. Call on the
    // control executor when shutdown begins, before the data plane has drained.
    void begin_shutdown();

    // Stops every replica; for shutdown.
    boost::asio::awaitable<void> stop_all();

    // Probes that could not be attempted for want of local resources (EMFILE, ...), so far.
    // Any thread.
    std::uint64_t probe_local_failures() const { return checker_.local_failures(); }

  private:
    boost::asio::awaitable<void> adopt_found(const StartupPlan& plan);
    boost::asio::awaitable<void> start_missing(const StartupPlan& plan);
    boost::asio::awaitable<ChangeResult> start_all_or_none(std::vector<std::string> names,
                                                           std::vector<std::uint32_t> ids);
    std::vector<WantedReplica> wanted_at_start(const std::vector<ReplicaAddress>& found);
    void publish();

    ControlPlane(boost::asio::io_context& control, const BalancerOptions& options,
                 ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers,
                 std::unique_ptr<ControlClock> own_clock, ControlClock* clock, ProbeFunction probe);

    boost::asio::io_context& control_;
    const BalancerOptions& options_;
    ReplicaDriver& driver_;
    SnapshotStore& snapshots_;
    std::unique_ptr<ControlClock> own_clock_;  // the steady clock, unless one was injected
    ControlClock& clock_;
    net::AsyncMutex membership_;
    MembershipStore store_;
    MembershipRegistry registry_;
    HealthChecker checker_;
    Reconciler reconciler_;
    std::mt19937_64 rng_;
};

}  // namespace ringlb::balancer
