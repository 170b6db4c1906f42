#include "controlplane/control_plane.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controlplane/admin_api.hpp"
#include "controlplane/hostname.hpp"
#include "hashing/build_table.hpp"
#include "common/duration.hpp"
#include "net/gather.hpp"
#include "net/http_probe.hpp"
#include "common/json_reply.hpp"
#include "net/listener.hpp"
#include "common/log.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// How often a starting replica is probed while ringlb waits for its first heartbeat.
constexpr std::chrono::milliseconds kStartProbeInterval{50};

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(kUseTuple);
}

net::Response failure(http::status status, const std::string& message) {
    return {status, net::json_reply(message, false)};
}

asio::awaitable<void> discard(asio::awaitable<bool> task) { co_await std::move(task); }

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

}  // namespace

ControlPlane::ControlPlane(asio::io_context& control, const BalancerOptions& options,
                           ReplicaDriver& driver, SnapshotStore& snapshots, std::size_t workers)
    : control_(control),
      options_(options),
      driver_(driver),
      snapshots_(snapshots),
      workers_(workers),
      membership_(control.get_executor()),
      store_(options.state_dir),
      rng_(std::random_device{}()) {
    driver_.on_exit([this](const std::string& name) { on_replica_exit(name); });
}

// ---- start-up and shutdown ------------------------------------------------------------------

asio::awaitable<void> ControlPlane::start() {
    auto guard = co_await membership_.lock();
    const auto found = co_await driver_.list();
    const std::vector<WantedReplica> wanted = wanted_at_start(found);

    // Adopt what the driver already runs and is wanted (a restarted ringlb with the docker
    // driver); anything else it runs under our label is left over from an older membership.
    std::vector<std::uint32_t> adopted;
    for (const ReplicaAddress& replica : found) {
        const bool is_wanted = std::find(wanted.begin(), wanted.end(),
                                         WantedReplica{replica.name, replica.server_id}) != wanted.end();
        if (!is_wanted || std::find(adopted.begin(), adopted.end(), replica.server_id) != adopted.end()) {
            log::warn("replica_not_wanted", {{"name", replica.name}, {"id", replica.server_id}});
            co_await stop_replica(replica.name);
            continue;
        }
        auto backend = std::make_shared<Backend>(replica.name, replica.server_id, replica.endpoint, workers_);
        const bool healthy = co_await wait_until_healthy(*backend);
        log::info("replica_adopted", {{"name", replica.name}, {"id", replica.server_id},
                                      {"address", net::to_string(replica.endpoint)}, {"healthy", healthy ? 1 : 0}});
        adopted.push_back(replica.server_id);
        slots_.push_back(Slot{replica.name, replica.server_id, nullptr, HealthState(options_.health.thresholds)});
        if (healthy) {
            serve(slots_.back(), std::move(backend));
        } else {
            slots_.back().replacing = true;
            spawn(control_, replace(replica.server_id, 0), "replace");
        }
    }
    // Start the rest, in the wanted order.
    std::vector<WantedReplica> to_start;
    for (const WantedReplica& replica : wanted) {
        if (std::find(adopted.begin(), adopted.end(), replica.server_id) == adopted.end()) {
            to_start.push_back(replica);
            slots_.push_back(Slot{replica.name, replica.server_id, nullptr, HealthState(options_.health.thresholds)});
        }
    }
    std::vector<asio::awaitable<Started>> starts;
    for (const WantedReplica& replica : to_start) {
        starts.push_back(start_replica(replica.name, replica.server_id));
    }
    auto results = co_await net::gather(executor(), std::move(starts));
    for (std::size_t i = 0; i < to_start.size(); ++i) {
        Slot* slot = find_by_id(to_start[i].server_id);
        if (results[i].backend) {
            serve(*slot, std::move(results[i].backend));
        } else {
            log::error("replica_start_failed", {{"name", slot->name}, {"id", slot->server_id},
                                                {"error", results[i].error}});
            slot->replacing = true;
            spawn(control_, replace(slot->server_id, 0), "replace");
        }
    }
    // /rep lists replicas in the wanted order, adopted or not.
    std::stable_sort(slots_.begin(), slots_.end(), [&](const Slot& a, const Slot& b) {
        const auto position = [&](const Slot& s) {
            return std::find_if(wanted.begin(), wanted.end(),
                                [&](const WantedReplica& w) { return w.server_id == s.server_id; }) -
                   wanted.begin();
        };
        return position(a) < position(b);
    });
    publish();
}

std::vector<WantedReplica> ControlPlane::wanted_at_start(const std::vector<ReplicaAddress>& found) {
    if (auto saved = store_.load()) {
        if (auto table = MembershipStore::restore_table(options_.hash, *saved)) {
            table_ = std::move(table);
            table_ids_.clear();
            for (const hashing::Member& member : table_->members()) {
                table_ids_.push_back(member.id);
            }
        }
        return saved->replicas;
    }
    // No saved state: what the driver runs (one per server ID), topped up to --replicas with
    // server-1, server-2, ... as the assignment names them.
    std::vector<WantedReplica> wanted;
    for (const ReplicaAddress& replica : found) {
        const bool id_taken = std::any_of(wanted.begin(), wanted.end(),
                                          [&](const WantedReplica& w) { return w.server_id == replica.server_id; });
        if (!id_taken) {
            wanted.push_back({replica.name, replica.server_id});
        }
    }
    for (std::uint32_t id = 1; wanted.size() < options_.replicas.initial; ++id) {
        const bool id_taken =
            std::any_of(wanted.begin(), wanted.end(), [&](const WantedReplica& w) { return w.server_id == id; });
        std::string name = "server-" + std::to_string(id);
        const bool name_taken =
            std::any_of(wanted.begin(), wanted.end(), [&](const WantedReplica& w) { return w.name == name; });
        if (!id_taken) {
            wanted.push_back({name_taken ? random_hostname(rng_) : name, id});
        }
    }
    return wanted;
}

void ControlPlane::begin_shutdown() {
    shutting_down_ = true;
    store_.freeze();
}

asio::awaitable<void> ControlPlane::stop_all() {
    auto guard = co_await membership_.lock();
    store_.freeze();
    std::vector<asio::awaitable<bool>> stops;
    for (Slot& slot : slots_) {
        if (slot.backend) {
            slot.backend->set_up(false);
        }
        stops.push_back(stop_replica(slot.name));
    }
    slots_.clear();
    publish();
    co_await net::gather(executor(), std::move(stops));
}

// ---- admin changes --------------------------------------------------------------------------

asio::awaitable<net::Response> ControlPlane::add(ReplicaChange change) {
    auto guard = co_await membership_.lock();
    const auto current = names();
    if (const auto problem = check_add(change, current, options_.replicas.max)) {
        co_return failure(http::status::bad_request, problem->message);
    }
    std::vector<std::string> new_names = change.hostnames;
    while (new_names.size() < change.n) {
        std::vector<std::string> taken = current;
        taken.insert(taken.end(), new_names.begin(), new_names.end());
        new_names.push_back(fresh_name(taken));
    }
    const auto ids = free_server_ids(change.n);
    std::vector<asio::awaitable<Started>> starts;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        starts.push_back(start_replica(new_names[i], ids[i]));
    }
    auto results = co_await net::gather(executor(), std::move(starts));

    const auto failed = std::find_if(results.begin(), results.end(), [](const Started& s) { return !s.backend; });
    if (failed != results.end()) {
        // All or nothing: a partly applied /add would leave the caller guessing.
        std::vector<asio::awaitable<bool>> stops;
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (results[i].backend) {
                stops.push_back(stop_replica(new_names[i]));
            }
        }
        co_await net::gather(executor(), std::move(stops));
        const auto index = static_cast<std::size_t>(failed - results.begin());
        log::error("replica_add_failed", {{"name", new_names[index]}, {"error", failed->error}});
        co_return failure(http::status::internal_server_error,
                          "<Error> could not start replica '" + new_names[index] + "': " + failed->error);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        slots_.push_back(Slot{new_names[i], ids[i], nullptr, HealthState(options_.health.thresholds)});
        serve(slots_.back(), std::move(results[i].backend));
        log::info("replica_added", {{"name", new_names[i]}, {"id", ids[i]}});
    }
    publish();
    co_return replicas_answer(names());
}

asio::awaitable<net::Response> ControlPlane::remove(ReplicaChange change) {
    auto guard = co_await membership_.lock();
    auto remaining = names();
    if (const auto problem = check_remove(change, remaining)) {
        co_return failure(http::status::bad_request, problem->message);
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
        Slot* slot = find_by_name(name);
        if (slot->backend) {
            slot->backend->set_up(false);
        }
        log::info("replica_removed", {{"name", name}, {"id", slot->server_id}});
        stops.push_back(stop_replica(name));
    }
    std::erase_if(slots_, [&](const Slot& slot) {
        return std::find(victims.begin(), victims.end(), slot.name) != victims.end();
    });
    publish();
    co_await net::gather(executor(), std::move(stops));
    co_return replicas_answer(names());
}

// ---- replica lifecycle ----------------------------------------------------------------------

asio::awaitable<ControlPlane::Started> ControlPlane::start_replica(std::string name, std::uint32_t server_id) {
    StartResult started = co_await driver_.start(name, server_id);
    if (!started.replica) {
        co_return Started{nullptr, started.error};
    }
    auto backend = std::make_shared<Backend>(name, server_id, started.replica->endpoint, workers_);
    if (!co_await wait_until_healthy(*backend)) {
        co_await stop_replica(name);
        co_return Started{nullptr, "no heartbeat within " + net::format_duration(options_.replicas.start_timeout)};
    }
    co_return Started{std::move(backend), {}};
}

asio::awaitable<bool> ControlPlane::wait_until_healthy(const Backend& backend) {
    const auto deadline = Clock::now() + options_.replicas.start_timeout;
    while (Clock::now() < deadline) {
        const auto result = co_await net::probe_http(backend.endpoint(), backend.name(),
                                                     options_.health.path, options_.health.timeout);
        if (result.ok()) {
            co_return true;
        }
        co_await sleep_for(kStartProbeInterval);
    }
    co_return false;
}

asio::awaitable<bool> ControlPlane::stop_replica(std::string name) {
    co_await driver_.stop(name);
    co_return true;
}

void ControlPlane::serve(Slot& slot, std::shared_ptr<Backend> backend) {
    slot.health = HealthState(options_.health.thresholds);
    slot.health.on_success();
    slot.up_since = Clock::now();
    slot.replacing = false;
    backend->set_up(true);
    slot.backend = backend;
    spawn(control_, probe_loop(std::move(backend)), "probe");
}

asio::awaitable<void> ControlPlane::probe_loop(std::shared_ptr<Backend> backend) {
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    for (;;) {
        const auto interval = std::chrono::milliseconds(
            static_cast<std::int64_t>(static_cast<double>(options_.health.interval.count()) * jitter(rng_)));
        co_await sleep_for(interval);
        const Slot* slot = find_by_backend(backend->uid());
        if (slot == nullptr || slot->replacing) {
            co_return;  // removed or being replaced: a new backend has its own loop
        }
        const auto result = co_await net::probe_http(backend->endpoint(), backend->name(),
                                                     options_.health.path, options_.health.timeout);
        on_probe(backend, result.ok(),
                 result.error ? result.error.message() : "status " + std::to_string(result.status));
    }
}

void ControlPlane::on_probe(const std::shared_ptr<Backend>& backend, bool passed, const std::string& detail) {
    Slot* slot = find_by_backend(backend->uid());
    if (slot == nullptr || slot->replacing) {
        return;
    }
    const bool changed = passed ? slot->health.on_success() : slot->health.on_failure();
    if (slot->health.is_up()) {
        backend->set_up(true);  // also undoes a worker's suspicion after a passed probe
    }
    if (changed && !slot->health.is_up()) {
        mark_down(*slot, "heartbeat: " + detail);
    }
}

void ControlPlane::on_replica_exit(const std::string& name) {
    Slot* slot = find_by_name(name);
    if (slot == nullptr || slot->replacing || !slot->backend) {
        return;  // removed, or already being replaced
    }
    slot->health.on_fatal();
    mark_down(*slot, "exited");
}

void ControlPlane::mark_down(Slot& slot, const std::string& reason) {
    if (slot.backend) {
        slot.backend->set_up(false);
    }
    log::warn("replica_down", {{"name", slot.name}, {"id", slot.server_id}, {"reason", reason}});
    if (shutting_down_) {
        return;  // it goes with the others
    }
    if (Clock::now() - slot.up_since >= options_.replicas.stable_after) {
        slot.failures_in_row = 0;
    }
    slot.replacing = true;
    spawn(control_, replace(slot.server_id, slot.backend ? slot.backend->uid() : 0), "replace");
}

asio::awaitable<void> ControlPlane::replace(std::uint32_t server_id, std::uint64_t failed_uid) {
    for (;;) {
        const Slot* waiting = find_by_id(server_id);
        if (waiting == nullptr) {
            co_return;
        }
        co_await sleep_for(backoff(*waiting));
        auto guard = co_await membership_.lock();
        Slot* slot = find_by_id(server_id);
        // Removed by /rm meanwhile, or already replaced: nothing to do.
        if (slot == nullptr || (slot->backend ? slot->backend->uid() : 0) != failed_uid) {
            co_return;
        }
        const std::string old_name = slot->name;
        // The failed replica may be hung and slow to stop; its replacement does not wait for it.
        spawn(control_, discard(stop_replica(old_name)), "stop");
        const std::string new_name = fresh_name(names());
        Started started = co_await start_replica(new_name, server_id);
        slot = find_by_id(server_id);  // the vector may have changed while we waited
        ++slot->failures_in_row;
        if (!started.backend) {
            log::error("replica_start_failed", {{"name", new_name}, {"id", server_id}, {"error", started.error},
                                                {"retry_in", net::format_duration(backoff(*slot))}});
            slot->name = new_name;  // the old one is gone either way
            slot->backend.reset();
            failed_uid = 0;
            publish();
            continue;
        }
        slot->name = new_name;
        ++slot->restarts;
        serve(*slot, std::move(started.backend));
        publish();
        log::info("replica_replaced", {{"old", old_name}, {"name", new_name}, {"id", server_id},
                                       {"address", net::to_string(slot->backend->endpoint())}});
        co_return;
    }
}

std::chrono::milliseconds ControlPlane::backoff(const Slot& slot) const {
    if (slot.failures_in_row == 0) {
        return std::chrono::milliseconds(0);
    }
    auto delay = options_.replicas.backoff_min;
    for (std::uint32_t i = 1; i < slot.failures_in_row && delay < options_.replicas.backoff_max; ++i) {
        delay *= 2;
    }
    return std::min(delay, options_.replicas.backoff_max);
}

// ---- snapshots and answers ------------------------------------------------------------------

void ControlPlane::publish() {
    std::vector<std::uint32_t> ids;
    for (const Slot& slot : slots_) {
        ids.push_back(slot.server_id);
    }
    std::sort(ids.begin(), ids.end());
    if (!table_ || ids != table_ids_) {
        std::vector<hashing::Member> members;
        for (const std::uint32_t id : ids) {
            members.push_back(hashing::Member{id, 1});
        }
        // Only membership changes rebuild the table; the previous one keeps keys in place.
        table_ = hashing::build_table(options_.hash, members, table_.get());
        table_ids_ = std::move(ids);
    }
    auto snapshot = std::make_shared<RoutingSnapshot>();
    snapshot->table = table_;
    for (const hashing::Member& member : table_->members()) {
        const Slot* slot = find_by_id(member.id);
        snapshot->backends.push_back(slot->backend);
        snapshot->restarts.push_back(slot->restarts);
    }
    snapshot->names = names();
    snapshots_.publish(std::move(snapshot));
    std::vector<WantedReplica> membership;
    for (const Slot& slot : slots_) {
        membership.push_back({slot.name, slot.server_id});
    }
    store_.save(membership, table_);
}

// ---- lookups --------------------------------------------------------------------------------

ControlPlane::Slot* ControlPlane::find_by_id(std::uint32_t server_id) {
    const auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.server_id == server_id; });
    return it == slots_.end() ? nullptr : &*it;
}

ControlPlane::Slot* ControlPlane::find_by_backend(std::uint64_t uid) {
    const auto it = std::find_if(slots_.begin(), slots_.end(),
                                 [&](const Slot& s) { return s.backend && s.backend->uid() == uid; });
    return it == slots_.end() ? nullptr : &*it;
}

ControlPlane::Slot* ControlPlane::find_by_name(const std::string& name) {
    const auto it = std::find_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.name == name; });
    return it == slots_.end() ? nullptr : &*it;
}

std::vector<std::string> ControlPlane::names() const {
    std::vector<std::string> result;
    for (const Slot& slot : slots_) {
        result.push_back(slot.name);
    }
    return result;
}

std::string ControlPlane::fresh_name(const std::vector<std::string>& also_taken) {
    for (;;) {
        std::string name = random_hostname(rng_);
        if (find_by_name(name) == nullptr &&
            std::find(also_taken.begin(), also_taken.end(), name) == also_taken.end()) {
            return name;
        }
    }
}

std::vector<std::uint32_t> ControlPlane::free_server_ids(std::size_t count) const {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t id = 1; ids.size() < count; ++id) {
        const bool taken = std::any_of(slots_.begin(), slots_.end(), [&](const Slot& s) { return s.server_id == id; });
        if (!taken) {
            ids.push_back(id);
        }
    }
    return ids;
}

}  // namespace ringlb::balancer
