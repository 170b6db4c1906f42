#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/answer_relay.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// After a replica's 101 Switching Protocols (a WebSocket, say): writes `head` (the 101 for the
// client) and then passes bytes both ways, as they come, until either side closes or fails, no
// byte passes either way for `idle_timeout`, or the replica is marked down (its clients are then
// disconnected at once rather than left hanging). `client_unread`: what the client sent after
// its request, passed on first. The client connection is done with afterwards.
boost::asio::awaitable<void> tunnel(net::WorkerContext& worker, net::Connection& client,
                                    boost::beast::flat_buffer& client_unread, AnswerStream stream,
                                    const std::string& head, Millis idle_timeout);

// The head the client gets for a 101, appended to `out`.
void append_switch_head(const net::ResponseHead& answer, std::string& out);

// Tunnels open now, tunnels since start and bytes passed through them (both ways), over all
// workers; for /metrics. Any thread.
std::uint64_t tunnels_open();
std::uint64_t tunnels_total();
std::uint64_t tunnel_bytes();

}  // namespace ringlb::balancer
