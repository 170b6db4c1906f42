#include "controlplane/reconciler.hpp"

#include <boost/asio/co_spawn.hpp>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "controlplane/invariant.hpp"
#include "controlplane/reconcile_plan.hpp"
#include "net/listener.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

namespace {

// How often a starting replica is probed while ringlb waits for its first heartbeat.
constexpr std::chrono::milliseconds kStartProbeInterval{50};

void spawn(asio::io_context& ctx, asio::awaitable<void> task, const char* what) {
    asio::co_spawn(ctx, std::move(task), [what](const std::exception_ptr& e) {
        if (!e) {
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log::error("control_task_failed", {{"task", what}, {"error", ex.what()}});
        }
    });
}

asio::awaitable<void> discard(asio::awaitable<bool> task) {
    co_await std::move(task);
}

}  // namespace

Reconciler::Reconciler(Deps deps) : deps_(std::move(deps)), rng_(std::random_device{}()) {}

asio::awaitable<Reconciler::Started> Reconciler::start_until_healthy(std::string name,
                                                                     std::uint32_t server_id) {
    StartResult started = co_await deps_.driver.start(name, server_id);
    if (!started.replica) {
        co_return Started{nullptr, std::nullopt, started.error};
    }
    auto backend =
        std::make_shared<Backend>(name, server_id, started.replica->endpoint, deps_.workers);
    if (std::string why = co_await wait_until_healthy(*backend, &started.replica->handle);
        !why.empty()) {
        co_await stop(started.replica->handle);
        co_return Started{nullptr, std::nullopt, std::move(why)};
    }
    co_return Started{std::move(backend), std::move(started.replica->handle), {}};
}

asio::awaitable<Reconciler::Started> Reconciler::adopt(ReplicaAddress replica) {
    auto backend =
        std::make_shared<Backend>(replica.name, replica.server_id, replica.endpoint, deps_.workers);
    const bool healthy = (co_await wait_until_healthy(*backend, nullptr)).empty();
    log::info("replica_adopted", {{"name", replica.name},
                                  {"id", replica.server_id},
                                  {"address", net::to_string(replica.endpoint)},
                                  {"healthy", healthy ? 1 : 0}});
    // An unhealthy one keeps its handle so that its replacement stops it.
    co_return Started{healthy ? std::move(backend) : nullptr, std::move(replica.handle), {}};
}

asio::awaitable<std::string> Reconciler::wait_until_healthy(const Backend& backend,
                                                            const ReplicaHandle* replica) {
    auto deadline = deps_.clock.now() + deps_.options.replicas.start_timeout;
    std::string last_failure;
    bool waiting_logged = false;
    while (deps_.clock.now() < deadline) {
        const auto probed_at = deps_.clock.now();
        const ProbeOutcome result = co_await deps_.probe(backend);
        // Checked after the probe too: one that exited may leave its port to another server
        // that answers the heartbeat.
        if (const auto how = replica ? deps_.driver.gone(*replica) : std::nullopt) {
            co_return "exited (" + *how + ") before passing its heartbeat";
        }
        if (result.verdict == ProbeVerdict::passed) {
            co_return std::string();
        }
        if (result.verdict == ProbeVerdict::local_failure) {
            if (shutting_down_) {
                co_return "ringlb is stopping and could not probe it (" + result.detail + ")";
            }
            // ringlb's own shortage (out of descriptors): the replica is not to blame, so the
            // time it lasts does not count against --start-timeout.
            if (!waiting_logged) {
                waiting_logged = true;
                log::warn("replica_start_waiting", {{"name", backend.name()},
                                                    {"id", backend.server_id()},
                                                    {"error", result.detail}});
            }
            deadline += deps_.clock.now() - probed_at + kStartProbeInterval;
        }
        last_failure = result.detail;
        co_await deps_.clock.sleep(kStartProbeInterval);
    }
    co_return "no heartbeat within " + net::format_duration(deps_.options.replicas.start_timeout) +
        (last_failure.empty() ? "" : " (last probe: " + last_failure + ")");
}

asio::awaitable<bool> Reconciler::stop(std::optional<ReplicaHandle> replica) {
    if (replica) {
        co_await deps_.driver.stop(std::move(*replica));
    }
    co_return true;
}

void Reconciler::serve(Slot& slot, Started started) {
    if (!started.backend || !started.replica) {
        fatal("serve() of a replica that did not start");
    }
    slot.up_since = deps_.clock.now();
    slot.replacing = false;
    slot.backend = started.backend;
    slot.replica = std::move(started.replica);
    deps_.checker.watch(std::move(started.backend));
}

void Reconciler::replace_later(Slot& slot) {
    slot.replacing = true;
    std::optional<std::uint64_t> failed;
    if (slot.backend) {
        failed = slot.backend->uid();
        deps_.checker.forget(*failed);
    }
    spawn(deps_.control, replace(slot.server_id, failed), "replace");
}

void Reconciler::on_down(const std::shared_ptr<Backend>& backend, const std::string& reason) {
    Slot* slot = deps_.registry.find_by_backend(backend->uid());
    if (slot == nullptr || slot->replacing) {
        return;
    }
    backend->abandon();
    log::warn("replica_down", {{"name", slot->name}, {"id", slot->server_id}, {"reason", reason}});
    if (shutting_down_) {
        return;  // it goes with the others
    }
    if (deps_.clock.now() - slot->up_since >= deps_.options.replicas.stable_after) {
        slot->failures_in_row = 0;
    }
    replace_later(*slot);
}

void Reconciler::on_exit(const ReplicaHandle& replica) {
    const Slot* slot = deps_.registry.find_by_replica(replica);
    if (slot == nullptr || slot->replacing || !slot->backend) {
        return;  // removed, or already being replaced
    }
    deps_.checker.on_exit(slot->backend->uid());
}

std::chrono::milliseconds Reconciler::backoff(const Slot& slot) const {
    return restart_backoff(slot.failures_in_row, deps_.options.replicas.backoff_min,
                           deps_.options.replicas.backoff_max);
}

asio::awaitable<void> Reconciler::replace(std::uint32_t server_id,
                                          std::optional<std::uint64_t> failed_backend) {
    // A start that failed (a crash, or ringlb out of descriptors) keeps its name for the next try:
    // one replacement takes one new name, however many tries it needs.
    std::optional<std::string> retry_name;
    for (;;) {
        const Slot* waiting = deps_.registry.find_by_id(server_id);
        if (waiting == nullptr) {
            co_return;
        }
        co_await deps_.clock.sleep(backoff(*waiting));
        auto guard = co_await deps_.membership.lock();
        if (shutting_down_) {
            co_return;  // every replica goes with the shutdown; none is started now
        }
        Slot* slot = deps_.registry.find_by_id(server_id);
        // Removed by /rm meanwhile, or already replaced: nothing to do.
        if (slot == nullptr || (slot->backend ? std::optional(slot->backend->uid())
                                              : std::nullopt) != failed_backend) {
            co_return;
        }
        const std::string old_name = slot->name;
        // The failed replica may be hung and slow to stop; its replacement does not wait for it.
        spawn(deps_.control, discard(stop(std::exchange(slot->replica, std::nullopt))), "stop");
        const std::string new_name = retry_name ? *retry_name : deps_.registry.fresh_name(rng_, {});
        Started started = co_await start_until_healthy(new_name, server_id);
        slot = deps_.registry.find_by_id(server_id);  // the vector may have changed while we waited
        if (slot == nullptr) {
            fatal("a slot went away while its replacement held the membership lock");
        }
        ++slot->failures_in_row;
        slot->name = new_name;  // the old one is gone either way
        if (!started.backend) {
            log::error("replica_start_failed",
                       {{"name", new_name},
                        {"id", server_id},
                        {"error", started.error},
                        {"retry_in", net::format_duration(backoff(*slot))}});
            slot->backend.reset();
            failed_backend = std::nullopt;
            retry_name = new_name;
            deps_.publish();
            continue;
        }
        ++slot->restarts;
        serve(*slot, std::move(started));
        deps_.publish();
        log::info("replica_replaced", {{"old", old_name},
                                       {"name", new_name},
                                       {"id", server_id},
                                       {"address", net::to_string(slot->backend->endpoint())}});
        co_return;
    }
}

}  // namespace ringlb::balancer
