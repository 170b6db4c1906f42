#include "balancer/upstream_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "net/edge_read.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;

struct ConnectResult {
    std::unique_ptr<UpstreamConnection> connection;
    error_code error;
};

asio::awaitable<ConnectResult> connect(net::WorkerContext& worker, const tcp::endpoint& endpoint,
                                       Millis timeout) {
    tcp::socket socket(worker.io);
    net::TrackedConnection tracked(worker.connections, socket);
    tracked.busy_for(timeout);
    auto [ec] = co_await socket.async_connect(endpoint, kUseTuple);
    if (ec) {
        co_return ConnectResult{nullptr, tracked.entry().timed_out ? asio::error::timed_out : ec};
    }
    socket.set_option(tcp::no_delay(true), ec);
    co_return ConnectResult{std::make_unique<UpstreamConnection>(std::move(socket)), {}};
}

struct AttemptResult {
    ExchangeResult result;
    bool keep_alive = false;
    bool nothing_received = false;  // failed before any byte of answer
};

// Reads one answer, skipping interim 1xx answers (101 Switching Protocols is final).
asio::awaitable<AttemptResult> read_answer(UpstreamConnection& connection,
                                           net::TrackedConnection& tracked, bool head_request,
                                           const ProxyOptions& options, net::ResponseHead& answer) {
    bool received = connection.buffer.size() > 0;
    for (;;) {
        net::ResponseParser parser(answer);
        parser.body_limit(options.max_response_bytes);
        parser.eager(true);
        parser.skip(head_request);
        while (!parser.is_done()) {
            if (connection.buffer.size() > 0) {
                error_code ec;
                connection.buffer.consume(parser.put(connection.buffer.data(), ec));
                if (ec && ec != http::error::need_more) {
                    co_return AttemptResult{{ExchangeOutcome::broken_answer, ec}};
                }
                if (parser.is_done()) {
                    break;
                }
            }
            // The request has only just been written, so the answer is rarely in yet:
            // async_read_edge waits for it without a recv that would fail with EAGAIN.
            auto [ec, n] = co_await net::async_read_edge(connection.socket,
                                                         connection.buffer.prepare(kReadChunk), kUseTuple);
            if (ec) {
                if (tracked.entry().timed_out) {
                    co_return AttemptResult{{ExchangeOutcome::timed_out, asio::error::timed_out}};
                }
                if (ec == asio::error::eof && parser.got_some() && parser.need_eof()) {
                    error_code eof_ec;
                    parser.put_eof(eof_ec);
                    if (!eof_ec) {
                        break;
                    }
                }
                if (!received) {
                    co_return AttemptResult{{ExchangeOutcome::no_answer, ec}, false, true};
                }
                co_return AttemptResult{{ExchangeOutcome::broken_answer, ec}};
            }
            received = true;
            connection.buffer.commit(n);
        }
        if (answer.status >= 100 && answer.status < 200 && answer.status != 101) {
            continue;
        }
        co_return AttemptResult{{ExchangeOutcome::answered, {}}, parser.keep_alive()};
    }
}

asio::awaitable<AttemptResult> exchange_on(net::WorkerContext& worker, UpstreamConnection& connection,
                                           std::string_view request, bool head_request,
                                           const ProxyOptions& options, net::ResponseHead& answer) {
    net::TrackedConnection tracked(worker.connections, connection.socket);
    tracked.busy_for(options.response_timeout);
    auto [ec, written] = co_await asio::async_write(connection.socket, asio::buffer(request), kUseTuple);
    if (ec) {
        if (tracked.entry().timed_out) {
            co_return AttemptResult{{ExchangeOutcome::timed_out, asio::error::timed_out}};
        }
        co_return AttemptResult{{ExchangeOutcome::no_answer, ec}, false, true};
    }
    co_return co_await read_answer(connection, tracked, head_request, options, answer);
}

}  // namespace

asio::awaitable<ExchangeResult> exchange(net::WorkerContext& worker, UpstreamPool& pool,
                                         const Backend& backend, std::string_view request,
                                         bool head_request, const ProxyOptions& options,
                                         net::ResponseHead& answer) {
    auto connection = pool.take(backend.uid(), worker.connections.now());
    // A pooled connection may have been closed by the replica while idle; it gets one more try
    // on a fresh connection.
    while (connection) {
        auto attempt = co_await exchange_on(worker, *connection, request, head_request, options, answer);
        if (attempt.result.outcome == ExchangeOutcome::answered) {
            if (attempt.keep_alive) {
                pool.give_back(backend.uid(), std::move(connection), worker.connections.now());
            }
            co_return attempt.result;
        }
        if (!attempt.nothing_received) {
            co_return attempt.result;
        }
        connection = pool.take(backend.uid(), worker.connections.now());
    }
    auto connected = co_await connect(worker, backend.endpoint(), options.connect_timeout);
    if (!connected.connection) {
        co_return ExchangeResult{ExchangeOutcome::unreachable, connected.error};
    }
    pool.lend_buffer(*connected.connection);
    auto attempt = co_await exchange_on(worker, *connected.connection, request, head_request, options, answer);
    if (attempt.result.outcome == ExchangeOutcome::answered && attempt.keep_alive) {
        pool.give_back(backend.uid(), std::move(connected.connection), worker.connections.now());
    }
    co_return attempt.result;
}

}  // namespace ringlb::balancer
