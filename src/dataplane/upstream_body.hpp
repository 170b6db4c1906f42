#pragma once

#include <optional>

#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/connection_set.hpp"
#include "net/request_body.hpp"

namespace ringlb::balancer {

// How the ticker ended a wait it cancelled: its deadline passed, or the replica was marked down;
// none when it did not.
std::optional<ExchangeResult> cut_by_ticker(const net::ConnectionSet::Entry& entry);

// Sends a streamed request body to the replica, piece by piece as the client sends it, framed
// as the head said (its Content-Length, else chunked); each piece is read only once the previous
// one is written, so a slow replica slows the client, not ringlb's memory. The answer's time
// limit starts again after each piece. On failure, how the exchange ended.
boost::asio::awaitable<std::optional<ExchangeResult>> send_body(UpstreamConnection& connection,
                                                                net::PendingBody& body,
                                                                net::TrackedConnection& tracked,
                                                                Millis timeout);

}  // namespace ringlb::balancer
