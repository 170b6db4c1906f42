#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>

#include "net/connection_set.hpp"
#include "net/http_limits.hpp"
#include "net/request_parser.hpp"
#include "net/response.hpp"

namespace ringlb::net {

// Reads one request from a keep-alive connection into `parser`, bytes left over from the previous
// one (pipelining) first. While no byte of the request has arrived the connection counts as idle
// (idle_timeout, and a drain may close it); from the first byte on it is busy (request_timeout).
// Errors are values: http::error::end_of_stream when the client closed cleanly between requests,
// operation_aborted when a deadline or drain cut it, a Beast parse error for malformed input, and
// went_idle() when no byte of a next request came for a while (the ConnectionSet parked it): the
// session should then end with SessionEnd::idle, so the server holds the connection without it.
//
// `unsent` holds answers the session has not written yet (see serve_keep_alive): they are written,
// and `unsent` cleared, before the reader waits for the client; a failed write is returned like a
// failed read.
boost::asio::awaitable<boost::system::error_code> read_request(
    boost::asio::ip::tcp::socket& socket, boost::beast::flat_buffer& buffer, RequestParser& parser,
    TrackedConnection& tracked, const HttpLimits& limits, std::string& unsent);

// After an answer that left part of its request unread (a body refused past a limit), with the
// send side shut: reads and drops what the client still sends, until it closes, is quiet for two
// seconds, or thirty seconds have passed. The client is likely still sending that body, and a
// close with unread bytes resets the connection, which can destroy the answer before the client
// reads it (nginx's lingering close does the same).
boost::asio::awaitable<void> drain_before_close(boost::asio::ip::tcp::socket& socket,
                                                TrackedConnection& tracked);

// True when read_request gave up waiting for a next request that had not begun (see above).
bool went_idle(const boost::system::error_code& ec);

// True for errors that mean the client went away or was cut off, which deserve no answer.
bool is_disconnect(const boost::system::error_code& ec);

// The answer to a request that could not be read (431 or 413 past a limit, 501 for a transfer
// coding other than chunked, else 400), after which the connection is closed.
Response read_failure_answer(const boost::system::error_code& ec);

}  // namespace ringlb::net
