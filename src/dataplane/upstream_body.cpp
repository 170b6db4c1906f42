#include "dataplane/upstream_body.hpp"

#include <array>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/chunk_line.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

namespace {
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

std::optional<ExchangeResult> cut_by_ticker(const net::ConnectionSet::Entry& entry) {
    if (entry.timed_out) {
        return ExchangeResult{ExchangeOutcome::timed_out, asio::error::timed_out};
    }
    if (entry.cut) {
        return ExchangeResult{ExchangeOutcome::replica_down, asio::error::operation_aborted};
    }
    return std::nullopt;
}

asio::awaitable<std::optional<ExchangeResult>> send_body(UpstreamConnection& connection,
                                                         net::PendingBody& body,
                                                         net::TrackedConnection& tracked,
                                                         Millis timeout) {
    const bool chunked = !body.content_length().has_value();
    net::ChunkLine size_line{};
    for (;;) {
        std::array<asio::const_buffer, 4> pieces{};
        std::string& piece = body.piece();
        if (!piece.empty()) {
            if (chunked) {
                pieces[0] = asio::buffer(net::chunk_size_line(piece.size(), size_line));
                pieces[2] = asio::buffer("\r\n", 2);
            }
            pieces[1] = asio::buffer(piece);
        }
        if (chunked && body.done()) {
            pieces[3] = asio::buffer("0\r\n\r\n", 5);
        }
        tracked.busy_for(timeout);
        auto [ec, written] = co_await asio::async_write(connection.socket, pieces, kUseTuple);
        if (ec) {
            // The piece stays: when this replica never had any of the body, the next one may
            // get it whole (after_failure's body_gone).
            if (auto cut = cut_by_ticker(tracked.entry())) {
                co_return *cut;
            }
            co_return ExchangeResult{ExchangeOutcome::no_answer, ec};
        }
        body.took_piece();
        if (body.done()) {
            co_return std::nullopt;
        }
        // The replica waits on the client meanwhile: its deadline covers the client's too.
        tracked.busy_for(timeout + body.read_limit());
        if (auto client_ec = co_await body.read_more()) {
            co_return ExchangeResult{ExchangeOutcome::client_failed, client_ec};
        }
    }
}

}  // namespace ringlb::balancer
