#include "dataplane/answer_relay.hpp"

#include <array>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "dataplane/splice_relay.hpp"
#include "net/body_mode.hpp"
#include "net/chunk_line.hpp"
#include "net/edge_read.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// What one read from the replica asks for: the most a stream holds at once, besides the piece
// being written to the client.
constexpr std::size_t kRelayRead = std::size_t{16} * 1024;

std::atomic<std::uint64_t> g_streamed{0};
std::atomic<std::uint64_t> g_cut{0};

// Writes what is pending for the client in one gathered write: the head (the first time), the
// body read since the last piece in the client's framing, and the chunked end after the last.
asio::awaitable<bool> write_piece(net::Connection& client, ClientFraming framing,
                                  std::string_view head, std::string& body, bool last,
                                  Millis idle_timeout) {
    net::ChunkLine size_line{};
    std::array<asio::const_buffer, 5> pieces{};
    std::size_t count = 0;
    if (!head.empty()) {
        pieces[count++] = asio::buffer(head);
    }
    if (!body.empty() && framing == ClientFraming::chunked) {
        pieces[count++] = asio::buffer(net::chunk_size_line(body.size(), size_line));
        pieces[count++] = asio::buffer(body);
        pieces[count++] = asio::buffer("\r\n", 2);
    } else if (!body.empty()) {
        pieces[count++] = asio::buffer(body);
    }
    if (last && framing == ClientFraming::chunked) {
        pieces[count++] = asio::buffer("0\r\n\r\n", 5);
    }
    if (count == 0) {
        co_return true;
    }
    client.tracked.busy_for(idle_timeout);
    auto [ec, written] = co_await asio::async_write(client.socket, pieces, kUseTuple);
    body.clear();
    co_return !ec;
}

// Moves the answer's body from the replica to the client until its end; false when cut.
asio::awaitable<bool> pump(net::WorkerContext& worker, AnswerStream& stream,
                           net::ResponseHead& answer, net::Connection& client,
                           ClientFraming framing, std::string_view head, Millis idle_timeout) {
    UpstreamConnection& connection = *stream.connection;
    net::ResponseParser& parser = *stream.parser;
    net::TrackedConnection tracked(worker.connections, connection.socket);
    tracked.entry().cut_when = stream.abandoned;
    for (;;) {
        const bool done = parser.is_done();
        if (!co_await write_piece(client, framing, head, answer.body, done, idle_timeout)) {
            co_return false;
        }
        head = {};
        if (done) {
            co_return true;
        }
        const auto remaining = parser.content_length_remaining();
        if (splice_fits(framing, remaining ? std::optional{*remaining} : std::nullopt,
                        connection.buffer.size())) {
            answer.body.clear();  // the piece read with the head is written: let its room go
            answer.body.shrink_to_fit();
            connection.buffer.shrink_to_fit();
            const SpliceEnd end =
                co_await splice_body(connection.socket, tracked, client, *remaining, idle_timeout);
            if (end != SpliceEnd::no_pipe) {
                co_return end == SpliceEnd::whole;
            }
        }
        if (connection.buffer.size() >= net::kMaxUnparsed) {
            co_return false;  // a chunk's size line or trailers without end
        }
        tracked.busy_for(idle_timeout);
        // At once, not after an event: the replica's FIN may sit behind the bytes read last.
        auto [ec, n] =
            co_await net::async_read_edge(connection.socket, connection.buffer.prepare(kRelayRead),
                                          net::ReadStart::try_first, kUseTuple);
        if (ec == asio::error::eof && parser.need_eof()) {
            error_code eof_ec;
            parser.put_eof(eof_ec);  // the close ends an answer that has no length
            if (eof_ec) {
                co_return false;
            }
            continue;
        }
        if (ec) {
            co_return false;
        }
        connection.buffer.commit(n);
        error_code parse_ec;
        connection.buffer.consume(parser.put(connection.buffer.data(), parse_ec));
        if (parse_ec && parse_ec != http::error::need_more) {
            co_return false;
        }
    }
}

}  // namespace

void append_status_and_headers(const net::ResponseHead& answer, std::string& out) {
    out += "HTTP/1.1 ";
    out += std::to_string(answer.status);
    out += ' ';
    out += answer.reason;
    out += "\r\n";
    out += answer.forward_headers;
}

void append_stream_head(const net::ResponseHead& answer, ClientFraming framing,
                        std::optional<std::uint64_t> content_length, bool keep_alive,
                        std::string& out) {
    append_status_and_headers(answer, out);
    if (framing == ClientFraming::content_length && content_length) {
        out += "Content-Length: ";
        out += std::to_string(*content_length);
        out += "\r\n";
    } else if (framing == ClientFraming::chunked) {
        out += "Transfer-Encoding: chunked\r\n";
    }
    if (!keep_alive || framing == ClientFraming::close) {
        out += "Connection: close\r\n";
    }
    out += "\r\n";
}

asio::awaitable<bool> relay_answer(net::WorkerContext& worker, UpstreamPool& pool,
                                   AnswerStream stream, net::ResponseHead& answer,
                                   net::Connection& client, ClientFraming framing,
                                   const std::string& head, Millis idle_timeout) {
    g_streamed.fetch_add(1, std::memory_order_relaxed);
    const bool whole = co_await pump(worker, stream, answer, client, framing, head, idle_timeout);
    if (!whole) {
        g_cut.fetch_add(1, std::memory_order_relaxed);
        co_return false;
    }
    if (stream.last_on_connection && stream.parser->keep_alive() &&
        stream.connection->buffer.size() == 0) {
        pool.give_back(stream.backend_uid, std::move(stream.connection), worker.connections.now());
    }
    co_return framing != ClientFraming::close;
}

std::uint64_t streamed_answers() {
    return g_streamed.load(std::memory_order_relaxed);
}

std::uint64_t streams_cut() {
    return g_cut.load(std::memory_order_relaxed);
}

}  // namespace ringlb::balancer
