#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace ringlb::balancer {

// Which replica a driver means, unique among all the replicas one driver starts or adopts in its
// lifetime. A name is not enough: a name is re-used once its replica leaves /rep, possibly while
// that replica is still being stopped. The process driver numbers its children; the docker
// driver uses the container ID.
class ReplicaHandle {
  public:
    explicit ReplicaHandle(std::string id) : id_(std::move(id)) {}

    const std::string& id() const { return id_; }
    bool operator==(const ReplicaHandle&) const = default;
    bool operator<(const ReplicaHandle& other) const { return id_ < other.id_; }  // for maps

  private:
    std::string id_;
};

// A replica as the load balancer knows it: the driver's handle on it, its name (a
// container-safe hostname), its stable server ID (which fixes its place on the hash ring), and
// where it listens.
struct ReplicaAddress {
    ReplicaHandle handle;
    std::string name;
    std::uint32_t server_id = 0;
    boost::asio::ip::tcp::endpoint endpoint;
};

// The outcome of starting a replica: its address, or a message saying why it could not start.
struct StartResult {
    std::optional<ReplicaAddress> replica;
    std::string error;
};

// How replicas are made: local processes, Docker containers, ... Every member function is called
// on the control plane's executor, and every awaitable completes on it; none may block that
// thread, and each bounds its own waiting (no hang when a daemon or child stops answering).
class ReplicaDriver {
  public:
    using ExitCallback = std::function<void(const ReplicaHandle& replica)>;

    virtual ~ReplicaDriver() = default;

    // A word for logs and /metrics: "process", "docker".
    virtual std::string_view kind() const = 0;

    // Starts a replica with this name and server ID. Completes once the replica's address is
    // known; the caller then waits for its heartbeat before routing to it.
    virtual boost::asio::awaitable<StartResult> start(std::string name,
                                                      std::uint32_t server_id) = 0;

    // Stops and removes the replica (what this driver started or adopted; nothing else). Completes
    // when it is gone. Stopping a replica that is already gone is not an error.
    virtual boost::asio::awaitable<void> stop(ReplicaHandle replica) = 0;

    // The replicas this driver manages that exist right now, for adoption at start-up.
    virtual boost::asio::awaitable<std::vector<ReplicaAddress>> list() = 0;

    // How the replica ended when it is known to have exited by itself (e.g. "exit 1"), so that
    // the caller waiting for a new replica's first heartbeat can give up at once; nullopt when
    // it is not known to be gone. Drivers that cannot tell keep this default.
    virtual std::optional<std::string> gone(const ReplicaHandle& /*replica*/) const {
        return std::nullopt;
    }

    // Called on the control executor when a replica exits by itself (crash, kill), so the control
    // plane need not wait for its heartbeat to notice. Optional for a driver to report; never
    // reported for a replica that stop() is stopping.
    void on_exit(ExitCallback callback) { on_exit_ = std::move(callback); }

  protected:
    void report_exit(const ReplicaHandle& replica) const {
        if (on_exit_) {
            on_exit_(replica);
        }
    }

  private:
    ExitCallback on_exit_;
};

}  // namespace ringlb::balancer
