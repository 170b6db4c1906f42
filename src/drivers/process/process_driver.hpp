#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "controlplane/replica_driver.hpp"

namespace ringlb::drivers {

struct ProcessDriverOptions {
    // The replica command's words, with {port} {host} {id} {name} placeholders (checked with
    // check_placeholders()); its program is looked up in PATH.
    std::vector<std::string> command;
    std::string host = "127.0.0.1";                 // replicas listen here, on a port ringlb picks
    std::chrono::milliseconds stop_timeout{5'000};  // SIGTERM, then SIGKILL
    // When set, each replica's output goes to DIR/NAME.log (appended) instead of ringlb's log.
    std::string log_dir;
    // The environment replicas start from (NAME=VALUE), ringlb's own by default.
    std::vector<std::string> environment;
    // The program that supervises each replica: ringlb itself (see supervisor.hpp).
    std::string supervisor = "/proc/self/exe";
};

// Runs replicas as local processes: any command (--replica-command), ringlb-server by default.
// ringlb picks each replica's port and passes it as {port} and PORT; the replica is ready when
// it passes its heartbeat (the caller probes it). Every replica runs under a supervisor process
// (ringlb --replica-supervisor) that keeps all of the replica's processes below it and ends them
// all when the replica is stopped, when the command exits, or when ringlb dies, even by SIGKILL.
// Supervisors are reaped through a pidfd, which also tells the control plane at once when a
// replica exits by itself. A replica's handle is its start number ("1", "2", ...).
class ProcessDriver final : public balancer::ReplicaDriver {
  public:
    ProcessDriver(boost::asio::io_context& control, ProcessDriverOptions options);
    ~ProcessDriver() override;

    std::string_view kind() const override { return "process"; }
    boost::asio::awaitable<balancer::StartResult> start(std::string name,
                                                        std::uint32_t server_id) override;
    boost::asio::awaitable<void> stop(balancer::ReplicaHandle replica) override;
    boost::asio::awaitable<std::vector<balancer::ReplicaAddress>> list() override;
    std::optional<std::string> gone(const balancer::ReplicaHandle& replica) const override;

  private:
    struct Child;

    boost::asio::awaitable<void> watch(std::shared_ptr<Child> child);
    int open_log_file(const std::string& name, std::string& error) const;
    void remember_exit(const balancer::ReplicaHandle& handle, std::string how);

    boost::asio::io_context& control_;
    ProcessDriverOptions options_;
    // By handle, never by name: a name is re-used while its previous holder may still be
    // stopping, and that holder's exit must not be taken for the new one's.
    std::map<balancer::ReplicaHandle, std::shared_ptr<Child>> children_;
    // How replicas that exited by themselves ended, for gone(); the most recent few only.
    std::map<balancer::ReplicaHandle, std::string> exits_;
    std::deque<balancer::ReplicaHandle> exit_order_;
    std::uint64_t started_ = 0;  // children so far; numbers the handles
};

}  // namespace ringlb::drivers
