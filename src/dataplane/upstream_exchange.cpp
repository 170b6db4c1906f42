#include "dataplane/upstream_exchange.hpp"

#include <optional>
#include <vector>

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
            if (tracked.entry().timed_out) {
                // The ticker's cancel came after the previous read had completed, and missed it.
                co_return AttemptResult{{ExchangeOutcome::timed_out, asio::error::timed_out}};
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

// What one connection did for the requests sent on it.
struct ConnectionRun {
    std::size_t answered = 0;   // requests answered, in order
    bool keep_alive = false;    // the last answer keeps the connection open
    std::optional<AttemptResult> failure;  // why the request after the answered ones has none
};

// Writes `requests` on `connection` at once and reads their answers in order until one fails or
// the replica closes the connection; `finish(result)` is called for each answered request, in
// order, as soon as its answer is in. Every answer must be in within the response timeout of
// the write.
template <class Finish>
asio::awaitable<ConnectionRun> run_on(net::WorkerContext& worker, UpstreamConnection& connection,
                                      std::span<UpstreamRequest* const> requests,
                                      const ProxyOptions& options, const Finish& finish) {
    net::TrackedConnection tracked(worker.connections, connection.socket);
    tracked.busy_for(options.response_timeout);
    std::vector<asio::const_buffer> gather;
    gather.reserve(requests.size());
    for (const auto* request : requests) {
        gather.push_back(asio::buffer(request->bytes));
    }
    auto [ec, written] = co_await asio::async_write(connection.socket, gather, kUseTuple);
    if (ec) {
        if (tracked.entry().timed_out) {
            co_return ConnectionRun{0, false, AttemptResult{{ExchangeOutcome::timed_out, asio::error::timed_out}}};
        }
        co_return ConnectionRun{0, false, AttemptResult{{ExchangeOutcome::no_answer, ec}, false, true}};
    }
    ConnectionRun run;
    for (auto* request : requests) {
        auto attempt = co_await read_answer(connection, tracked, request->head_request, options, *request->answer);
        if (attempt.result.outcome != ExchangeOutcome::answered) {
            run.failure = attempt;
            co_return run;
        }
        finish(attempt.result);
        ++run.answered;
        run.keep_alive = attempt.keep_alive;
        if (!attempt.keep_alive) {
            break;
        }
    }
    co_return run;
}

}  // namespace

asio::awaitable<void> exchange_all(net::WorkerContext& worker, UpstreamPool& pool, UpstreamTarget target,
                                   std::span<UpstreamRequest* const> requests, const ProxyOptions& options,
                                   OnResult on_result) {
    std::size_t next = 0;  // the first request without a result
    bool timed_out_before = false;
    const auto finish = [&](const ExchangeResult& result) {
        requests[next]->result = result;
        if (on_result) {
            on_result(next);
        }
        ++next;
    };
    const auto finish_all = [&](const ExchangeResult& result) {
        while (next < requests.size()) {
            finish(result);
        }
    };
    while (next < requests.size()) {
        auto connection = pool.take(target.uid, worker.connections.now());
        const bool fresh = !connection;
        if (fresh) {
            auto connected = co_await connect(worker, target.endpoint, options.connect_timeout);
            if (!connected.connection) {
                finish_all({ExchangeOutcome::unreachable, connected.error});
                co_return;
            }
            connection = std::move(connected.connection);
            pool.lend_buffer(*connection);
        }
        const auto run = co_await run_on(worker, *connection, requests.subspan(next), options, finish);
        if (!run.failure) {
            // Bytes past the last answer belong to no request (a body on an answer to HEAD, say):
            // such a connection is not reused.
            if (next == requests.size() && run.keep_alive && connection->buffer.size() == 0) {
                pool.give_back(target.uid, std::move(connection), worker.connections.now());
            }
            continue;  // all answered, or the replica closed after an answer: the rest go again
        }
        const AttemptResult& failure = *run.failure;
        if (failure.result.outcome == ExchangeOutcome::timed_out) {
            // The request whose answer did not come in time fails; the ones behind it waited on
            // it, not on their own answers, and go again once. If the replica is silent on that
            // connection too, they fail with it: a request waits at most twice the timeout.
            finish(failure.result);
            if (timed_out_before) {
                finish_all(failure.result);
                co_return;
            }
            timed_out_before = true;
            continue;
        }
        if (failure.nothing_received && (!fresh || run.answered > 0)) {
            // A pooled connection the replica had closed while it sat idle, or a connection the
            // replica closed after answering on it: the rest go on another connection.
            continue;
        }
        finish(failure.result);
        if (failure.result.outcome == ExchangeOutcome::no_answer) {
            // A fresh connection that failed before its first answer: the replica is failing.
            finish_all(failure.result);
            co_return;
        }
        // A broken answer leaves the connection unusable; the requests after it go again.
    }
}

}  // namespace ringlb::balancer
