#include "drivers/docker/docker_driver.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

#include "common/log.hpp"
#include "drivers/docker/container_name.hpp"
#include "drivers/docker/docker_event_watcher.hpp"
#include "drivers/docker/engine_targets.hpp"

namespace ringlb::drivers {

namespace asio = boost::asio;
using balancer::ReplicaAddress;
using balancer::StartResult;

namespace {

constexpr unsigned kNotFound = 404;
constexpr unsigned kNotModified = 304;  // start or stop of a container already in that state
constexpr unsigned kConflict = 409;

std::string short_id(std::string_view id) {
    return std::string(id.substr(0, 12));
}

DockerDriverOptions checked(DockerDriverOptions options) {
    if (auto problem = validate(options)) {
        throw std::invalid_argument("docker driver: " + *problem);
    }
    return options;
}

// A container reference this driver may put in a URL: a container ID (64 hex digits) or name.
bool is_safe_reference(std::string_view reference) {
    const bool is_id =
        reference.size() == 64 && std::all_of(reference.begin(), reference.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
    return is_id || is_valid_container_name(reference);
}

}  // namespace

DockerDriver::DockerDriver(asio::io_context& control, DockerDriverOptions options)
    : executor_(control.get_executor()),
      options_(checked(std::move(options))),
      ownership_(ownership_labels(options_.instance)),
      client_(options_.socket_path, options_.api_timeout),
      network_check_(control.get_executor()) {}

DockerDriver::~DockerDriver() {
    // Synchronous on purpose: after this, the watcher never calls back into this object, even if
    // its coroutine is still winding down on the executor.
    if (watcher_) {
        watcher_->stop();
    }
}

asio::awaitable<StartResult> DockerDriver::start(std::string name, std::uint32_t server_id) {
    watch_events();
    StartResult result;
    // The name goes into a URL and the container's configuration: nothing unchecked does.
    if (!is_valid_container_name(name)) {
        result.error = "'" + name + "' is not a valid container name";
        co_return result;
    }
    if (auto problem = co_await ensure_network()) {
        result.error = *problem;
        log::error("docker_start_failed", {{"name", name}, {"error", result.error}});
        co_return result;
    }

    const auto created =
        co_await client_.create_container(replica_container_spec(options_, name, server_id));
    const auto id = created.ok() ? parse_created_id(created.body) : std::nullopt;
    if (!id) {
        if (created.has_status(kConflict)) {
            result.error = "a container named '" + name + "' already exists";
        } else if (created.has_status(kNotFound)) {
            result.error = "cannot create '" + name + "': " + daemon_message(created.body) +
                           " (images are never pulled: build it with `make images`)";
        } else {
            result.error = failure("cannot create '" + name + "'", created);
        }
        log::error("docker_start_failed", {{"name", name}, {"error", result.error}});
        co_return result;
    }

    if (const auto started = co_await client_.start_container(*id);
        !started.ok() && !started.has_status(kNotModified)) {
        result.error = failure("cannot start '" + name + "'", started);
    } else if (const auto inspected = co_await client_.inspect_container(*id); !inspected.ok()) {
        result.error = failure("cannot inspect '" + name + "'", inspected);
    } else if (const auto info = parse_container_inspect(inspected.body, options_.network); !info) {
        result.error = "cannot read the engine's description of '" + name + "'";
    } else if (auto address = address_of(*info); !address || !info->running) {
        result.error =
            "'" + name + "' exited at once or has no address on network " + options_.network;
    } else {
        log::info("docker_replica_started", {{"name", name},
                                             {"id", server_id},
                                             {"address", info->ip},
                                             {"container", short_id(*id)}});
        handles_.insert_or_assign(name, address->handle);
        result.replica = std::move(address);
        co_return result;
    }
    log::error("docker_start_failed", {{"name", name}, {"error", result.error}});
    co_await discard(*id, name);
    co_return result;
}

asio::awaitable<void> DockerDriver::stop(balancer::ReplicaHandle replica) {
    // The reference goes into a URL: nothing unchecked does.
    if (!is_safe_reference(replica.id())) {
        co_return;
    }
    const auto inspected = co_await client_.inspect_container(replica.id());
    if (inspected.has_status(kNotFound)) {
        co_return;
    }
    if (!inspected.ok()) {
        log::error("docker_stop_failed",
                   {{"container", replica.id()}, {"error", failure("cannot inspect", inspected)}});
        co_return;
    }
    const auto info = parse_container_inspect(inspected.body, options_.network);
    if (!info || !has_labels(*info, ownership_)) {
        log::error("docker_stop_refused",
                   {{"name", info ? info->name : replica.id()},
                    {"reason", "the container is not one this load balancer made"}});
        co_return;
    }
    const std::string name = info->name;
    stopping_.insert(name);
    handles_.erase(name);
    const auto stopped = co_await client_.stop_container(info->id, options_.stop_grace);
    if (!stopped.ok() && !stopped.has_status(kNotModified) && !stopped.has_status(kNotFound)) {
        log::warn("docker_stop_failed",
                  {{"name", name}, {"error", failure("cannot stop", stopped)}});
    }
    // Removal also kills, so it finishes the job when the stop above failed.
    const auto removed = co_await client_.remove_container(info->id);
    stopping_.erase(name);
    if (!removed.ok() && !removed.has_status(kNotFound)) {
        log::error("docker_remove_failed",
                   {{"name", name}, {"error", failure("cannot remove", removed)}});
        co_return;
    }
    log::info("docker_replica_removed", {{"name", name}, {"container", short_id(info->id)}});
}

asio::awaitable<std::vector<ReplicaAddress>> DockerDriver::list() {
    watch_events();
    std::vector<ReplicaAddress> adopted;
    const auto listed = co_await client_.list_containers(ownership_);
    if (!listed.ok()) {
        log::error("docker_list_failed", {{"error", failure("cannot list containers", listed)}});
        co_return adopted;
    }
    const auto containers = parse_container_list(listed.body, options_.network);
    if (!containers) {
        log::error("docker_list_failed", {{"error", "cannot read the engine's container list"}});
        co_return adopted;
    }
    for (const auto& container : *containers) {
        // The engine filtered by label already; this keeps a wrong answer from costing a
        // stranger's container.
        if (!has_labels(container, ownership_)) {
            continue;
        }
        auto address = container.running ? address_of(container) : std::nullopt;
        if (address) {
            log::info(
                "docker_replica_adopted",
                {{"name", container.name}, {"id", address->server_id}, {"address", container.ip}});
            handles_.insert_or_assign(container.name, address->handle);
            adopted.push_back(std::move(*address));
            continue;
        }
        log::warn(
            "docker_replica_discarded",
            {{"name", container.name},
             {"reason", container.running ? "no server ID or no address on " + options_.network
                                          : std::string("not running")}});
        if (const auto removed = co_await client_.remove_container(container.id);
            !removed.ok() && !removed.has_status(kNotFound)) {
            log::error("docker_remove_failed",
                       {{"name", container.name}, {"error", failure("cannot remove", removed)}});
        }
    }
    co_return adopted;
}

asio::awaitable<std::optional<std::string>> DockerDriver::ensure_network() {
    if (network_ready_) {
        co_return std::nullopt;
    }
    auto guard = co_await network_check_.lock();
    if (network_ready_) {
        co_return std::nullopt;  // made while this start waited its turn
    }
    const auto inspected = co_await client_.inspect_network(options_.network);
    if (inspected.ok()) {
        network_ready_ = true;
        co_return std::nullopt;
    }
    if (!inspected.has_status(kNotFound)) {
        co_return failure("cannot inspect network " + options_.network, inspected);
    }
    if (!options_.create_network) {
        co_return "network " + options_.network + " does not exist";
    }
    const auto created = co_await client_.create_network(options_.network, ownership_);
    // 409: another start made it in the meantime, which is just as good.
    if (!created.ok() && !created.has_status(kConflict)) {
        co_return failure("cannot create network " + options_.network, created);
    }
    log::info("docker_network_created", {{"network", options_.network}});
    network_ready_ = true;
    co_return std::nullopt;
}

asio::awaitable<void> DockerDriver::discard(std::string id, std::string name) {
    // Its death is our doing, not news for the control plane, which never had this replica.
    stopping_.insert(name);
    const auto removed = co_await client_.remove_container(id);
    stopping_.erase(name);
    if (!removed.ok() && !removed.has_status(kNotFound)) {
        log::error("docker_remove_failed",
                   {{"name", name}, {"error", failure("cannot remove", removed)}});
    }
}

std::optional<ReplicaAddress> DockerDriver::address_of(const ContainerInfo& container) const {
    const auto server_id = labelled_server_id(container);
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(container.ip, ec);
    if (!server_id || ec || !is_valid_container_name(container.name)) {
        return std::nullopt;
    }
    // No port label: a container made before it existed, reached like this driver's own.
    const std::uint16_t port = labelled_replica_port(container).value_or(options_.replica_port);
    return ReplicaAddress{
        balancer::ReplicaHandle(container.id), container.name, *server_id, {ip, port}};
}

void DockerDriver::watch_events() {
    if (watcher_ || !options_.watch_events) {
        return;
    }
    watcher_ = std::make_shared<DockerEventWatcher>(
        executor_, options_.socket_path, engine::die_events(ownership_), options_.api_timeout,
        options_.events_retry, [this](const EngineEvent& event) {
            const auto known = handles_.find(event.name);
            if (event.action != "die" || stopping_.contains(event.name) ||
                known == handles_.end()) {
                return;
            }
            log::warn("docker_replica_died",
                      {{"name", event.name}, {"exit_code", event.exit_code}});
            report_exit(known->second);
        });
    watcher_->start();
}

std::string DockerDriver::failure(std::string_view what, const ApiResponse& response) const {
    return std::string(what) + ": " + describe_failure(response, options_.socket_path);
}

}  // namespace ringlb::drivers
