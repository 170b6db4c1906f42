#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/http_limits.hpp"
#include "net/server.hpp"
#include "replica/endpoints.hpp"

namespace ringlb::replica {

// Serves one client connection: HTTP/1.1 keep-alive, requests answered by Endpoints, limits and
// timeouts from HttpLimits. Malformed requests get a 400 (431/413 for oversized ones) and the
// connection is closed. Ends with SessionEnd::idle when the client has been quiet for long
// (net/server.hpp).
boost::asio::awaitable<net::SessionEnd> serve_connection(net::Connection& connection,
                                                         net::WorkerContext& worker,
                                                         const Endpoints& endpoints,
                                                         const net::HttpLimits& limits);

}  // namespace ringlb::replica
