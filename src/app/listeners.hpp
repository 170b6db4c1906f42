#pragma once

#include <optional>

#include <boost/asio/ip/tcp.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/process_metrics.hpp"
#include "dataplane/balancer_session.hpp"
#include "net/server.hpp"
#include "net/worker_pool.hpp"

namespace ringlb::app {

// ringlb's listeners: the client port, and the admin port when --admin-listen names one (then
// the client port serves only the proxy, and the admin port only the admin API).
class Listeners {
  public:
    // Binds every listener at once, so a taken port fails before any replica starts (throws
    // std::runtime_error).
    Listeners(net::WorkerPool& pool, balancer::DataPlane& plane,
              const balancer::BalancerOptions& options);

    // Where /add and /rm are served.
    const boost::asio::ip::tcp::endpoint& admin_endpoint() const;

    // Starts accepting; logs the addresses, and prints "listening on ADDRESS" on stdout.
    void start();

    // Stops accepting and ends the connections within `grace` (net::Server::drain).
    void drain(net::Clock::duration grace);

    // Adds the listeners' connection counts to `metrics`.
    void count(balancer::ProcessMetrics& metrics) const;

  private:
    net::Server clients_;
    std::optional<net::Server> admin_;
};

}  // namespace ringlb::app
