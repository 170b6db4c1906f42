#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "controlplane/admin_request.hpp"
#include "controlplane/backend.hpp"
#include "config/balancer_options.hpp"
#include "controlplane/health_state.hpp"
#include "controlplane/replica_driver.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "controlplane/membership_store.hpp"
#include "controlplane/state_file.hpp"
#include "net/async_mutex.hpp"
#include "net/response.hpp"

namespace ringlb::balancer {

// The control plane: the replicas ringlb should have (desired state) and those it has (actual
// state), kept equal. It starts replicas through the driver, probes their heartbeats, replaces the
// ones that die (fresh name, same server ID, growing back-off when they keep dying), applies
// /add and /rm, and publishes a RoutingSnapshot after every change.
//
// Threading: everything runs on the control io_context's one thread; the data plane reaches it
// only through co_spawn and the published snapshots. Changes of membership (add, remove,
// replace) are serialised by one AsyncMutex, so concurrent admin calls queue instead of
// interleaving.
class ControlPlane {
public:
    ControlPlane(boost::asio::io_context& control, const BalancerOptions& options,
                 ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers);

    boost::asio::any_io_executor executor() { return control_.get_executor(); }

    // Decides the replicas to run (--state-dir's saved membership, else what the driver already
    // runs topped up to --replicas), adopts the running ones and starts the rest.
    // Completes when each has started or failed; failed ones are retried in the background.
    boost::asio::awaitable<void> start();

    // /add and /rm, validated payloads in, SPEC.md answers out. They complete when the change is
    // done: new replicas serve (passed a heartbeat), removed ones are out of the ring and stopped.
    boost::asio::awaitable<net::Response> add(ReplicaChange change);
    boost::asio::awaitable<net::Response> remove(ReplicaChange change);

    // From now on replicas that die are not replaced: ringlb is shutting down. Call on the
    // control executor when shutdown begins, before the data plane has drained.
    void begin_shutdown();

    // Stops every replica; for shutdown.
    boost::asio::awaitable<void> stop_all();

private:
    struct Slot {
        std::string name;
        std::uint32_t server_id = 0;
        std::shared_ptr<Backend> backend;  // null while (re)starting
        HealthState health;
        std::uint32_t restarts = 0;
        std::uint32_t failures_in_row = 0;
        std::chrono::steady_clock::time_point up_since;
        bool replacing = false;
    };

    struct Started {
        std::shared_ptr<Backend> backend;
        std::string error;
    };

    boost::asio::awaitable<Started> start_replica(std::string name, std::uint32_t server_id);
    boost::asio::awaitable<bool> wait_until_healthy(const Backend& backend);
    boost::asio::awaitable<void> probe_loop(std::shared_ptr<Backend> backend);
    boost::asio::awaitable<void> replace(std::uint32_t server_id, std::uint64_t failed_uid);
    boost::asio::awaitable<bool> stop_replica(std::string name);

    void on_probe(const std::shared_ptr<Backend>& backend, bool passed, const std::string& detail);
    void on_replica_exit(const std::string& name);
    void mark_down(Slot& slot, const std::string& reason);
    void serve(Slot& slot, std::shared_ptr<Backend> backend);
    void publish();
    std::vector<WantedReplica> wanted_at_start(const std::vector<ReplicaAddress>& found);

    Slot* find_by_id(std::uint32_t server_id);
    Slot* find_by_backend(std::uint64_t uid);
    Slot* find_by_name(const std::string& name);
    std::vector<std::string> names() const;
    std::string fresh_name(const std::vector<std::string>& also_taken);
    std::vector<std::uint32_t> free_server_ids(std::size_t count) const;
    std::chrono::milliseconds backoff(const Slot& slot) const;

    boost::asio::io_context& control_;
    const BalancerOptions& options_;
    ReplicaDriver& driver_;
    SnapshotStore& snapshots_;
    std::size_t workers_;
    net::AsyncMutex membership_;
    MembershipStore store_;
    bool shutting_down_ = false;
    std::vector<Slot> slots_;  // in /rep order
    std::shared_ptr<const hashing::Table> table_;
    std::vector<std::uint32_t> table_ids_;  // the server IDs table_ was built for
    std::mt19937_64 rng_;

};

}  // namespace ringlb::balancer
