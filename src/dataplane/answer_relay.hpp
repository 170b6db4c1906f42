#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/client_framing.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/response_parser.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// An answer whose head has been read and whose body is still coming (net::BodyMode::stream): the
// replica connection it comes on and the parser that has read its head. The parser's body lands
// in the answer's ResponseHead::body, which the relay empties after each piece.
struct AnswerStream {
    std::unique_ptr<UpstreamConnection> connection;
    std::unique_ptr<net::ResponseParser> parser;
    std::uint64_t backend_uid = 0;
    // Becomes true when the replica is marked down: the relay is cut at once (Backend::abandoned).
    const std::atomic<bool>* abandoned = nullptr;
    // No other request was sent on the connection after this one: once the answer is read to
    // its end, the connection may go back to the pool.
    bool last_on_connection = false;
};

// The replica's status line (as HTTP/1.1) and end-to-end headers, appended to `out`: the start
// of every answer head ringlb passes on.
void append_status_and_headers(const net::ResponseHead& answer, std::string& out);

// The head the client gets for a streamed answer, appended to `out`: the replica's status and
// end-to-end headers with `framing`'s own, and Connection: close when the connection ends after.
void append_stream_head(const net::ResponseHead& answer, ClientFraming framing,
                        std::optional<std::uint64_t> content_length, bool keep_alive,
                        std::string& out);

// Writes `head` and then the answer's body to the client as it arrives from the replica, one
// piece at a time: a piece is read only once the previous one is written, so a slow client slows
// the reading and ringlb holds one read buffer per stream whatever the answer's size. Each wait,
// on either side, may last `idle_timeout`. True when the whole answer reached the client; false
// when either side failed or went quiet, after which the client connection must be closed (it
// has a part of an answer). The replica connection goes back to `pool` when it may.
boost::asio::awaitable<bool> relay_answer(net::WorkerContext& worker, UpstreamPool& pool,
                                          AnswerStream stream, net::ResponseHead& answer,
                                          net::Connection& client, ClientFraming framing,
                                          const std::string& head, Millis idle_timeout);

// Answers streamed and answers cut while streaming (the replica or the client failed or went
// quiet), over all workers, since start; for /metrics. Any thread.
std::uint64_t streamed_answers();
std::uint64_t streams_cut();

}  // namespace ringlb::balancer
