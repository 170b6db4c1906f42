#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "net/http_limits.hpp"
#include "net/request_body.hpp"
#include "net/request_parser.hpp"
#include "net/request_reader.hpp"
#include "net/response.hpp"
#include "net/server.hpp"

namespace ringlb::net {

// The request loop of one client connection, shared by ringlb and ringlb-server: HTTP/1.1
// keep-alive and pipelining, malformed or oversized requests answered by read_failure_answer()
// and closed, SessionEnd::idle when the client went quiet (net/server.hpp), a clean close at the
// end.
//
// `answer(request, keep_alive, out)` appends the complete answer to `out` and returns whether
// the connection may stay open (it is given whether the client and a drain allow it). It may
// return bool, or awaitable<bool> when answering waits on something (the proxy does).
// `key_header` and `keep_headers` are the RequestParser's.
//
// Pipelined requests answered at once (a bool `answer`) are answered together: while bytes of
// the next request are already buffered, an answer is held back, and read_request writes what
// was held back before it waits for more input. A client that sends ten requests in one segment
// gets ten answers in one write, not ten. An answer that waits (the proxy's) is written at once,
// so it is never held up by the requests behind it.
template <class Answer>
boost::asio::awaitable<SessionEnd> serve_keep_alive(Connection& connection, WorkerContext& worker,
                                                    const HttpLimits& limits,
                                                    std::string_view key_header, bool keep_headers,
                                                    Answer answer) {
    constexpr bool kAwaits =
        std::is_same_v<std::invoke_result_t<Answer&, RequestHead&, bool, std::string&>,
                       boost::asio::awaitable<bool>>;
    // Answers held back in `out` stop growing here; the next one writes them all.
    constexpr std::size_t kMaxHeldBack = std::size_t{64} * 1024;
    boost::beast::flat_buffer buffer;
    RequestHead request;
    std::string out;  // answers not written yet
    bool keep_alive = true;
    bool input_left = false;  // the last answer left some of its request unread
    while (keep_alive && !worker.connections.draining()) {
        RequestParser parser(request, key_header, keep_headers);
        const auto read_ec = co_await read_request(connection.socket, buffer, parser,
                                                   connection.tracked, limits, out);
        if (went_idle(read_ec)) {
            co_return SessionEnd::idle;
        }
        keep_alive = false;
        if (read_ec) {
            if (is_disconnect(read_ec) || connection.tracked.entry().timed_out) {
                out.clear();
                break;
            }
            serialize(read_failure_answer(read_ec), worker.connections.http_date(), false, false,
                      out);
            input_left = true;
        } else {
            keep_alive = parser.keep_alive() && !worker.connections.draining();
            // A body that streams (HttpLimits::stream_bodies) is read by the answer.
            request.unread = &buffer;
            std::optional<PendingBody> pending;
            if (!parser.is_done()) {
                request.pending_body = &pending.emplace(connection.socket, buffer, parser, request,
                                                        connection.tracked, limits);
            }
            if constexpr (kAwaits) {
                keep_alive = co_await answer(request, keep_alive, out);
            } else {
                keep_alive = answer(request, keep_alive, out);
            }
            request.pending_body = nullptr;
            request.unread = nullptr;
            // A body the answer did not read to its end leaves the connection unusable.
            input_left = !parser.is_done();
            keep_alive = keep_alive && !input_left;
        }
        // The answer may have taken a while: the client gets the full request timeout to take it.
        connection.tracked.busy_for(limits.request_timeout);
        if (!kAwaits && keep_alive && buffer.size() > 0 && out.size() < kMaxHeldBack) {
            continue;
        }
        auto [write_ec, written] =
            co_await boost::asio::async_write(connection.socket, boost::asio::buffer(out),
                                              boost::asio::as_tuple(boost::asio::use_awaitable));
        out.clear();
        if (write_ec) {
            break;
        }
    }
    if (!out.empty()) {
        // A drain began while answers were held back.
        co_await boost::asio::async_write(connection.socket, boost::asio::buffer(out),
                                          boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    boost::system::error_code ignored;
    connection.socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    if (input_left) {
        co_await drain_before_close(connection.socket, connection.tracked);
    }
    co_return SessionEnd::closed;
}

}  // namespace ringlb::net
