#pragma once

#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/admin_api.hpp"
#include "dataplane/proxy.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// Which requests a listener serves: everything (the default), or, when the admin API has an
// address of its own (--admin-listen), only the proxy on the main port and only the admin API
// on the admin port.
enum class ListenerRole { everything, proxy_only, admin_only };

// What every client connection of the load balancer shares: options, the proxy, the admin API,
// and each worker's data-plane state (indexed by worker).
struct DataPlane {
    const BalancerOptions& options;
    Proxy proxy;
    AdminApi admin;
    ProxyWorkers workers;
};

// Serves one client connection: HTTP/1.1 keep-alive; ringlb's own endpoints answered here, every
// other request forwarded by the proxy. Malformed or oversized requests get a 400 (431/413) and
// the connection is closed. Ends with SessionEnd::idle when the client has been quiet for long
// (net/server.hpp).
boost::asio::awaitable<net::SessionEnd> serve_client(net::Connection& connection,
                                                     net::WorkerContext& worker, DataPlane& plane,
                                                     ListenerRole role);

}  // namespace ringlb::balancer
