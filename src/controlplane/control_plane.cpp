#include "controlplane/control_plane.hpp"

#include <algorithm>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "controlplane/invariant.hpp"
#include "net/gather.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

ControlPlane::ControlPlane(asio::io_context& control, const BalancerOptions& options,
                           ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers)
    : ControlPlane(control, options, driver, snapshots, workers,
                   std::make_unique<SteadyControlClock>(), nullptr, http_probe(options.health)) {}

ControlPlane::ControlPlane(asio::io_context& control, const BalancerOptions& options,
                           ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers,
                           ControlClock& clock, ProbeFunction probe)
    : ControlPlane(control, options, driver, snapshots, workers, nullptr, &clock,
                   std::move(probe)) {}

ControlPlane::ControlPlane(asio::io_context& control, const BalancerOptions& options,
                           ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers,
                           std::unique_ptr<ControlClock> own_clock, ControlClock* clock,
                           ProbeFunction probe)
    : control_(control),
      options_(options),
      driver_(driver),
      snapshots_(snapshots),
      own_clock_(std::move(own_clock)),
      clock_(clock != nullptr ? *clock : *own_clock_),
      membership_(control.get_executor()),
      store_(options.state_dir),
      registry_(options.hash),
      checker_(control.get_executor(), options.health, clock_, probe,
               {[this](const std::shared_ptr<Backend>& backend, const std::string& reason) {
                    reconciler_.on_down(backend, reason);
                },
                {}}),
      reconciler_({control, options, driver, clock_, std::move(probe), registry_, checker_,
                   membership_, [this] { publish(); }, workers}),
      rng_(std::random_device{}()) {
    driver_.on_exit([this](const ReplicaHandle& replica) { reconciler_.on_exit(replica); });
}

// ---- start-up and shutdown ------------------------------------------------------------------

asio::awaitable<void> ControlPlane::start() {
    auto guard = co_await membership_.lock();
    const auto found = co_await driver_.list();
    const StartupPlan plan = plan_startup(wanted_at_start(found), found);
    co_await adopt_found(plan);
    co_await start_missing(plan);
    // /rep lists replicas in the wanted order, adopted or not.
    registry_.order_as(plan.order);
    publish();
}

asio::awaitable<void> ControlPlane::adopt_found(const StartupPlan& plan) {
    // Adopt what the driver already runs and is wanted (a restarted ringlb with the docker
    // driver); anything else it runs under our label is left over from an older membership.
    for (const StartupPlan::Found& found : plan.found) {
        const ReplicaAddress& replica = found.replica;
        if (!found.adopt) {
            log::warn("replica_not_wanted", {{"name", replica.name}, {"id", replica.server_id}});
            co_await reconciler_.stop(replica.handle);
            continue;
        }
        auto adopted = co_await reconciler_.adopt(replica);
        registry_.add(Slot{.name = replica.name, .server_id = replica.server_id});
        Slot& slot = registry_.slots().back();
        if (adopted.backend) {
            reconciler_.serve(slot, std::move(adopted));
        } else {
            slot.replica = std::move(adopted.replica);
            reconciler_.replace_later(slot);
        }
    }
}

asio::awaitable<void> ControlPlane::start_missing(const StartupPlan& plan) {
    std::vector<asio::awaitable<Reconciler::Started>> starts;
    for (const WantedReplica& replica : plan.start) {
        registry_.add(Slot{.name = replica.name, .server_id = replica.server_id});
        starts.push_back(reconciler_.start_until_healthy(replica.name, replica.server_id));
    }
    auto results = co_await net::gather(executor(), std::move(starts));
    for (std::size_t i = 0; i < plan.start.size(); ++i) {
        Slot* slot = registry_.find_by_id(plan.start[i].server_id);
        if (slot == nullptr) {
            fatal("a slot went away during start-up");
        }
        if (results[i].backend) {
            reconciler_.serve(*slot, std::move(results[i]));
        } else {
            // A failure like any later one: the next try waits for the back-off, and says when.
            ++slot->failures_in_row;
            log::error("replica_start_failed",
                       {{"name", slot->name},
                        {"id", slot->server_id},
                        {"error", results[i].error},
                        {"retry_in", net::format_duration(reconciler_.backoff(*slot))}});
            reconciler_.replace_later(*slot);
        }
    }
}

std::vector<WantedReplica> ControlPlane::wanted_at_start(const std::vector<ReplicaAddress>& found) {
    if (auto saved = store_.load()) {
        if (auto table = MembershipStore::restore_table(options_.hash, *saved)) {
            registry_.restore_table(std::move(table));
        }
        log::info("state_restored",
                  {{"replicas", saved->replicas.size()}, {"dir", options_.state_dir}});
        if (saved->replicas.size() != options_.replicas.initial) {
            log::warn("replicas_flag_ignored",
                      {{"replicas", options_.replicas.initial},
                       {"saved", saved->replicas.size()},
                       {"why", "the membership saved in --state-dir wins"}});
        }
        return saved->replicas;
    }
    return wanted_without_state(found, options_.replicas.initial, rng_);
}

void ControlPlane::begin_shutdown() {
    reconciler_.begin_shutdown();
    store_.freeze();
}

asio::awaitable<void> ControlPlane::stop_all() {
    auto guard = co_await membership_.lock();
    store_.freeze();
    std::vector<asio::awaitable<bool>> stops;
    for (Slot& slot : registry_.slots()) {
        if (slot.backend) {
            slot.backend->set_up(false);
            checker_.forget(slot.backend->uid());
        }
        stops.push_back(reconciler_.stop(std::move(slot.replica)));
    }
    registry_.slots().clear();
    publish();
    co_await net::gather(executor(), std::move(stops));
}

// ---- admin changes --------------------------------------------------------------------------

asio::awaitable<ChangeResult> ControlPlane::add(ReplicaChange change) {
    auto guard = co_await membership_.lock();
    const auto current = registry_.names();
    if (const auto problem = check_add(change, current, options_.replicas.max)) {
        co_return ChangeRefused{problem->message};
    }
    auto ids = registry_.free_server_ids(change.n);
    if (const auto why = registry_.table_refuses(ids)) {
        co_return ChangeRefused{"<Error> cannot add " + std::to_string(change.n) +
                                " replicas: the hash table cannot hold them (" + *why + ")"};
    }
    std::vector<std::string> new_names = change.hostnames;
    while (new_names.size() < change.n) {
        new_names.push_back(registry_.fresh_name(rng_, new_names));
    }
    co_return co_await start_all_or_none(std::move(new_names), std::move(ids));
}

asio::awaitable<ChangeResult> ControlPlane::start_all_or_none(std::vector<std::string> names,
                                                              std::vector<std::uint32_t> ids) {
    std::vector<asio::awaitable<Reconciler::Started>> starts;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        starts.push_back(reconciler_.start_until_healthy(names[i], ids[i]));
    }
    auto results = co_await net::gather(executor(), std::move(starts));
    const auto failed = std::find_if(results.begin(), results.end(),
                                     [](const Reconciler::Started& s) { return !s.backend; });
    if (failed != results.end()) {
        // All or nothing: a partly applied /add would leave the caller guessing.
        std::vector<asio::awaitable<bool>> stops;
        stops.reserve(results.size());
        for (Reconciler::Started& result : results) {
            stops.push_back(reconciler_.stop(std::move(result.replica)));
        }
        co_await net::gather(executor(), std::move(stops));
        const auto index = static_cast<std::size_t>(failed - results.begin());
        log::error("replica_add_failed", {{"name", names[index]}, {"error", failed->error}});
        co_return ChangeStartFailed{names[index], failed->error};
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        registry_.add(Slot{.name = names[i], .server_id = ids[i]});
        reconciler_.serve(registry_.slots().back(), std::move(results[i]));
        log::info("replica_added", {{"name", names[i]}, {"id", ids[i]}});
    }
    publish();
    co_return ChangeApplied{registry_.names()};
}

asio::awaitable<ChangeResult> ControlPlane::remove(ReplicaChange change) {
    auto guard = co_await membership_.lock();
    auto remaining = registry_.names();
    if (const auto problem = check_remove(change, remaining)) {
        co_return ChangeRefused{problem->message};
    }
    std::vector<std::string> victims = change.hostnames;
    std::erase_if(remaining, [&](const std::string& name) {
        return std::find(victims.begin(), victims.end(), name) != victims.end();
    });
    std::shuffle(remaining.begin(), remaining.end(), rng_);
    victims.insert(victims.end(), remaining.begin(),
                   remaining.begin() + static_cast<std::ptrdiff_t>(change.n - victims.size()));

    // Out of the ring first, so no new request goes to a replica being stopped.
    std::vector<asio::awaitable<bool>> stops;
    for (const std::string& name : victims) {
        Slot* slot = registry_.find_by_name(name);
        if (slot == nullptr) {
            fatal("check_remove passed an unknown name");
        }
        if (slot->backend) {
            slot->backend->set_up(false);
            checker_.forget(slot->backend->uid());
        }
        log::info("replica_removed", {{"name", name}, {"id", slot->server_id}});
        stops.push_back(reconciler_.stop(std::move(slot->replica)));
    }
    registry_.remove(victims);
    publish();
    co_await net::gather(executor(), std::move(stops));
    co_return ChangeApplied{registry_.names()};
}

// ---- snapshots ------------------------------------------------------------------------------

void ControlPlane::publish() {
    snapshots_.publish(registry_.snapshot());
    store_.save(registry_.membership(), registry_.table());
}

}  // namespace ringlb::balancer
