#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace ringlb::net {

// Opens a listening socket with SO_REUSEPORT, so that each worker can own one on the same port and
// the kernel spreads new connections across them. Throws std::runtime_error("cannot listen on
// HOST:PORT: reason") when the address cannot be bound.
boost::asio::ip::tcp::acceptor open_listener(boost::asio::io_context& ctx,
                                             const boost::asio::ip::tcp::endpoint& endpoint);

// Checks that `endpoint` is free by binding it once without SO_REUSEPORT (which would otherwise let
// a second ringlb silently share the port with the first), and returns it with the port the
// kernel picked when it asked for port 0. Throws like open_listener.
boost::asio::ip::tcp::endpoint claim_port(boost::asio::io_context& ctx,
                                          const boost::asio::ip::tcp::endpoint& endpoint);

// Parses a listen address ("0.0.0.0", "127.0.0.1", "::1") and port; throws
// std::invalid_argument with a clear message when the address is not an IP address.
boost::asio::ip::tcp::endpoint make_endpoint(const std::string& host, std::uint16_t port);

// Parses "HOST:PORT" ("[::1]:PORT" for IPv6) with a numeric host; nullopt when malformed.
std::optional<boost::asio::ip::tcp::endpoint> parse_host_port(std::string_view text);

// Formats an endpoint as HOST:PORT ([HOST]:PORT for IPv6).
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

// Accepts connections until the acceptor is closed, handing each one to on_accept(socket, peer)
// with TCP_NODELAY set. When an accept fails for lack of resources (out of descriptors or
// memory), on_exhausted() is called (it may answer the clients waiting in the backlog) and the
// loop pauses briefly instead of spinning; on_accepted_again() is called at the first accept that
// works after that.
template <class OnAccept, class OnExhausted, class OnAcceptedAgain>
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor,
                                         OnAccept on_accept, OnExhausted on_exhausted,
                                         OnAcceptedAgain on_accepted_again);

// True for the errors that say this process (or the system) is out of a resource, as opposed to
// a failure of the peer: EMFILE, ENFILE, ENOBUFS, ENOMEM.
bool is_local_resource_error(const boost::system::error_code& ec);

}  // namespace ringlb::net

#include "net/listener_impl.hpp"
