#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "controlplane/replica_driver.hpp"
#include "drivers/docker/container_info.hpp"
#include "drivers/docker/docker_client.hpp"
#include "drivers/docker/docker_driver_options.hpp"
#include "net/async_mutex.hpp"

namespace ringlb::drivers {

class DockerEventWatcher;

// Replicas as Docker containers, made through the Engine API on the unix socket: one container
// per replica, named after it, from options.image, on options.network with its name as alias,
// its environment from replica_environment() (SERVER_ID, REPLICA_NAME, PORT, HOST, options.env),
// and labelled as this load balancer's (docker_driver_options.hpp). Its address is its IP on that
// network and the port in its ringlb.replica-port label (options.replica_port when it was made),
// so neither the load balancer nor the replica needs a name lookup.
//
// Only containers with our labels are adopted, stopped or removed. Daemon failures (down, image
// missing, name taken) come back as StartResult::error and a log line; every call is bounded by
// options.api_timeout.
class DockerDriver final : public balancer::ReplicaDriver {
  public:
    // `control` is the control plane's io_context, which runs every call (ReplicaDriver's
    // contract). Throws std::invalid_argument when validate(options) finds fault (a start-up
    // error). Destroy it on that io_context's thread, or once it no longer runs.
    DockerDriver(boost::asio::io_context& control, DockerDriverOptions options);
    ~DockerDriver() override;
    DockerDriver(const DockerDriver&) = delete;
    DockerDriver& operator=(const DockerDriver&) = delete;

    std::string_view kind() const override { return "docker"; }
    boost::asio::awaitable<balancer::StartResult> start(std::string name,
                                                        std::uint32_t server_id) override;
    // Stops the container whose ID is the handle's.
    boost::asio::awaitable<void> stop(balancer::ReplicaHandle replica) override;
    // Adopts our running containers; removes our containers that are not running (their replica
    // is dead, and the caller will start a replacement under a fresh name).
    boost::asio::awaitable<std::vector<balancer::ReplicaAddress>> list() override;

  private:
    // nullopt once the network exists (made here if allowed), else why it does not.
    boost::asio::awaitable<std::optional<std::string>> ensure_network();
    // Removes a container this driver has just created but could not bring up.
    boost::asio::awaitable<void> discard(std::string id, std::string name);
    std::optional<balancer::ReplicaAddress> address_of(const ContainerInfo& container) const;
    void watch_events();
    std::string failure(std::string_view what, const ApiResponse& response) const;

    boost::asio::any_io_executor executor_;
    DockerDriverOptions options_;
    std::map<std::string, std::string> ownership_;
    DockerClient client_;
    bool network_ready_ = false;
    // Replicas start concurrently, and the engine's duplicate check is not atomic: two creates
    // at once make two networks of one name, and every later lookup by name is then ambiguous.
    // So only one start at a time looks for (and makes) the network.
    net::AsyncMutex network_check_;
    // Replicas being stopped on request, whose "die" events are therefore not news.
    std::set<std::string, std::less<>> stopping_;
    // The handle (container ID) of each container started or adopted, by name: "die" events
    // name the container, and the engine keeps a name for one container at a time.
    std::map<std::string, balancer::ReplicaHandle, std::less<>> handles_;
    std::shared_ptr<DockerEventWatcher> watcher_;
};

}  // namespace ringlb::drivers
