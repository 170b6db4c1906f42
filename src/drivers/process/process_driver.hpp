#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "controlplane/replica_driver.hpp"

namespace ringlb::drivers {

struct ProcessDriverOptions {
    std::string binary;              // the ringlb-server program
    std::string host = "127.0.0.1";  // replicas listen here, on a port the kernel picks
    std::chrono::milliseconds start_timeout{10'000};  // until the replica prints its address
    std::chrono::milliseconds stop_timeout{5'000};    // SIGTERM, then SIGKILL
};

// Runs replicas as local ringlb-server child processes (no Docker needed). Each child is started
// with --id, --host and --port 0, and announces its address on stdout. Children die with ringlb,
// even on SIGKILL (PR_SET_PDEATHSIG), and are reaped through a pidfd, which also tells the control
// plane at once when one exits by itself. A child's handle is its start number ("1", "2", ...).
class ProcessDriver final : public balancer::ReplicaDriver {
  public:
    ProcessDriver(boost::asio::io_context& control, ProcessDriverOptions options);
    ~ProcessDriver() override;

    std::string_view kind() const override { return "process"; }
    boost::asio::awaitable<balancer::StartResult> start(std::string name,
                                                        std::uint32_t server_id) override;
    boost::asio::awaitable<void> stop(balancer::ReplicaHandle replica) override;
    boost::asio::awaitable<std::vector<balancer::ReplicaAddress>> list() override;

  private:
    struct Child;

    boost::asio::awaitable<void> watch(std::shared_ptr<Child> child);

    boost::asio::io_context& control_;
    ProcessDriverOptions options_;
    // By handle, never by name: a name is re-used while its previous holder may still be
    // stopping, and that holder's exit must not be taken for the new one's.
    std::map<balancer::ReplicaHandle, std::shared_ptr<Child>> children_;
    std::uint64_t started_ = 0;  // children so far; numbers the handles
};

}  // namespace ringlb::drivers
