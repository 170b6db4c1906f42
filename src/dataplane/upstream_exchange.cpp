#include "dataplane/upstream_exchange.hpp"

#include <atomic>
#include <optional>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "dataplane/upstream_body.hpp"
#include "dataplane/upstream_decision.hpp"
#include "net/body_mode.hpp"
#include "net/check.hpp"
#include "net/edge_read.hpp"
#include "net/listener.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

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
    // Set when the answer streams: the parser that has read its head, to read the rest with.
    std::unique_ptr<net::ResponseParser> streaming;
};

std::optional<std::uint64_t> content_length_of(const net::ResponseParser& parser) {
    const auto length = parser.content_length();
    return length ? std::optional(*length) : std::nullopt;
}

// One connection's state while answers are read from it.
struct Reading {
    UpstreamConnection& connection;
    net::TrackedConnection& tracked;
    // Whether anything was read since the requests were written: until then the answers cannot
    // be in, and a read waits for the socket's next event; after, a read tries the socket at
    // once, since the replica's FIN may have come with the last bytes read (net/edge_read.hpp).
    bool read_any = false;
};

// Reads more bytes of an answer into the connection's buffer; on failure, how the answer ended.
asio::awaitable<std::optional<ExchangeResult>> read_more(Reading& reading, bool answer_started) {
    auto& connection = reading.connection;
    auto [ec, n] = co_await net::async_read_edge(
        connection.socket, connection.buffer.prepare(kReadChunk),
        reading.read_any ? net::ReadStart::try_first : net::ReadStart::after_event, kUseTuple);
    if (!ec) {
        reading.read_any = true;
        connection.buffer.commit(n);
        co_return std::nullopt;
    }
    if (auto cut = cut_by_ticker(reading.tracked.entry())) {
        co_return *cut;
    }
    co_return ExchangeResult{
        answer_started ? ExchangeOutcome::broken_answer : ExchangeOutcome::no_answer, ec};
}

// Reads one answer, interim ones included, into `answer`.
asio::awaitable<AttemptResult> read_one(Reading& reading, bool head_request,
                                        const ProxyOptions& options, net::ResponseHead& answer,
                                        bool& answer_started) {
    auto& connection = reading.connection;
    net::ResponseParser parser(answer);
    parser.body_limit(options.max_response_bytes == 0
                          ? boost::optional<std::uint64_t>()
                          : boost::optional<std::uint64_t>(options.max_response_bytes));
    parser.eager(true);
    parser.skip(head_request);
    for (;;) {
        if (connection.buffer.size() > 0) {
            answer_started = true;
            error_code ec;
            connection.buffer.consume(parser.put(connection.buffer.data(), ec));
            if (ec && ec != http::error::need_more) {
                co_return AttemptResult{{ExchangeOutcome::broken_answer, ec}};
            }
            if (parser.is_header_done() && answer.status == 101) {
                // Switching protocols: the connection becomes the client's tunnel (tunnel.hpp).
                co_return AttemptResult{{ExchangeOutcome::answered, {}},
                                        false,
                                        std::make_unique<net::ResponseParser>(std::move(parser))};
            }
            if (parser.is_done()) {
                co_return AttemptResult{{ExchangeOutcome::answered, {}}, parser.keep_alive()};
            }
            if (parser.is_header_done() &&
                net::body_mode({false, content_length_of(parser)}) == net::BodyMode::stream) {
                const bool keep_alive = parser.keep_alive();
                co_return AttemptResult{{ExchangeOutcome::answered, {}},
                                        keep_alive,
                                        std::make_unique<net::ResponseParser>(std::move(parser))};
            }
        }
        if (auto cut = cut_by_ticker(reading.tracked.entry())) {
            // The ticker's cancel came after the previous read had completed, and missed it.
            co_return AttemptResult{*cut};
        }
        auto failed = co_await read_more(reading, answer_started);
        if (failed && failed->error == asio::error::eof && parser.got_some() && parser.need_eof()) {
            error_code eof_ec;
            parser.put_eof(eof_ec);
            if (!eof_ec) {
                co_return AttemptResult{{ExchangeOutcome::answered, {}}, false};
            }
        }
        if (failed) {
            co_return AttemptResult{*failed};
        }
    }
}

// Reads one final answer, skipping interim 1xx answers (101 Switching Protocols is final).
asio::awaitable<AttemptResult> read_answer(Reading& reading, bool head_request,
                                           const ProxyOptions& options, net::ResponseHead& answer) {
    bool answer_started = false;
    for (;;) {
        auto attempt = co_await read_one(reading, head_request, options, answer, answer_started);
        const bool interim = answer.status >= 100 && answer.status < 200 && answer.status != 101;
        if (attempt.result.outcome != ExchangeOutcome::answered || !interim) {
            co_return attempt;
        }
    }
}

// What one connection did for the requests sent on it.
struct ConnectionRun {
    std::size_t answered = 0;               // requests answered, in order
    bool keep_alive = false;                // the last answer keeps the connection open
    std::optional<ExchangeResult> failure;  // why the request after the answered ones has none
    bool first_keep_alive = false;          // the first answer kept it open
    // The parser of the answer after the answered ones when it streams; the connection is then
    // the stream's.
    std::unique_ptr<net::ResponseParser> streaming;
};

// Writes `requests` on `connection` at once and reads their answers in order until one fails or
// the replica closes the connection; `finish(result)` is called for each answered request, in
// order, as soon as its answer is in. Every answer must be in within the response timeout of
// the write, and the wait ends early when `abandoned` becomes true (the replica was marked down).
template <class Finish>
asio::awaitable<ConnectionRun> run_on(net::WorkerContext& worker, UpstreamConnection& connection,
                                      std::span<UpstreamRequest* const> requests,
                                      const std::atomic<bool>* abandoned,
                                      const ProxyOptions& options, const Finish& finish) {
    net::TrackedConnection tracked(worker.connections, connection.socket);
    tracked.busy_for(options.response_timeout);
    tracked.entry().cut_when = abandoned;
    std::vector<asio::const_buffer> gather;
    gather.reserve(requests.size());
    for (const auto* request : requests) {
        gather.push_back(asio::buffer(request->bytes));
    }
    auto [ec, written] = co_await asio::async_write(connection.socket, gather, kUseTuple);
    if (ec) {
        if (auto cut = cut_by_ticker(tracked.entry())) {
            co_return ConnectionRun{0, false, *cut};
        }
        co_return ConnectionRun{0, false, ExchangeResult{ExchangeOutcome::no_answer, ec}};
    }
    if (requests.size() == 1 && requests.front()->body != nullptr) {
        if (auto failed = co_await send_body(connection, *requests.front()->body, tracked,
                                             options.response_timeout)) {
            co_return ConnectionRun{0, false, *failed};
        }
    }
    ConnectionRun run;
    Reading reading{connection, tracked};
    for (auto* request : requests) {
        auto attempt =
            co_await read_answer(reading, request->head_request, options, request->answer);
        if (attempt.result.outcome != ExchangeOutcome::answered) {
            run.failure = attempt.result;
            co_return run;
        }
        if (attempt.streaming) {
            run.first_keep_alive = run.answered == 0 ? attempt.keep_alive : run.first_keep_alive;
            run.streaming = std::move(attempt.streaming);
            co_return run;
        }
        finish(attempt.result);
        run.first_keep_alive = run.answered == 0 ? attempt.keep_alive : run.first_keep_alive;
        ++run.answered;
        run.keep_alive = attempt.keep_alive;
        if (!attempt.keep_alive) {
            break;
        }
    }
    co_return run;
}

// A connection for one run: a pooled one, else a new one; on failure, why none could be had.
struct Opened {
    std::unique_ptr<UpstreamConnection> connection;
    bool fresh = false;
    std::optional<ExchangeResult> failure;
};

asio::awaitable<Opened> open(net::WorkerContext& worker, UpstreamPool& pool,
                             const UpstreamTarget& target, const ProxyOptions& options,
                             bool fresh_only) {
    if (auto pooled = fresh_only ? nullptr : pool.take(target.uid, worker.connections.now())) {
        co_return Opened{std::move(pooled), false, std::nullopt};
    }
    auto connected = co_await connect(worker, target.endpoint, options.connect_timeout);
    if (!connected.connection) {
        const auto outcome = net::is_local_resource_error(connected.error)
                                 ? ExchangeOutcome::local_failure
                                 : ExchangeOutcome::unreachable;
        co_return Opened{nullptr, true, ExchangeResult{outcome, connected.error}};
    }
    pool.lend_buffer(*connected.connection);
    co_return Opened{std::move(connected.connection), true, std::nullopt};
}

// Closes a connection the replica ended after its answer with a reset instead of a FIN. The
// replica closed first, so a FIN would leave its side in TIME_WAIT for a minute; at thousands of
// connections a second (a server that closes every connection) a new connect from ringlb can
// then meet one of those and stall for the kernel's one-second SYN retry. A reset ends both
// sides at once, and every byte of the answer has already been read.
void close_after_replica(UpstreamConnection& connection) {
    error_code ignored;
    connection.socket.set_option(asio::socket_base::linger(true, 0), ignored);
    connection.socket.close(ignored);
}

}  // namespace

asio::awaitable<void> exchange_all(net::WorkerContext& worker, UpstreamPool& pool,
                                   UpstreamTarget target,
                                   std::span<UpstreamRequest* const> requests,
                                   const ProxyOptions& options, OnResult on_result) {
    if (requests.empty()) {
        co_return;
    }
    std::size_t next = 0;  // the first request without a result
    bool timed_out_before = false;
    const auto finish = [&](const ExchangeResult& result) {
        requests[next]->set_result(result);
        if (on_result) {
            on_result(next);
        }
        ++next;
    };
    for (;;) {
        // A streamed body is read from the client once: it never goes out on a pooled connection
        // that the replica may have closed meanwhile (which would send it again elsewhere).
        const bool streams_body = requests.front()->body != nullptr;
        auto opened = co_await open(worker, pool, target, options, streams_body);
        RunEnd end{opened.failure, opened.fresh, 0, false, timed_out_before};
        if (opened.connection) {
            auto run = co_await run_on(worker, *opened.connection, requests.subspan(next),
                                       target.abandoned, options, finish);
            end.failure = run.failure;
            end.answered = run.answered;
            const std::size_t answered = run.answered + (run.streaming ? 1 : 0);
            pool.note_persistence(target.uid,
                                  persistence_seen(opened.fresh, answered, run.first_keep_alive));
            if (run.streaming) {
                // The stream takes the connection; the requests sent after it go again.
                const bool last = next + 1 == requests.size();
                requests[next]->stream.emplace(AnswerStream{std::move(opened.connection),
                                                            std::move(run.streaming), target.uid,
                                                            target.abandoned, last});
                finish(ExchangeResult{ExchangeOutcome::answered, {}});
                if (next == requests.size()) {
                    co_return;
                }
                continue;
            }
            // Bytes past the last answer belong to no request (a body on an answer to HEAD, say):
            // such a connection is not reused.
            if (!run.failure && next == requests.size() && run.keep_alive &&
                opened.connection->buffer.size() == 0) {
                pool.give_back(target.uid, std::move(opened.connection), worker.connections.now());
            } else if (!run.failure && run.answered > 0 && !run.keep_alive) {
                close_after_replica(*opened.connection);
            }
        }
        end.all_answered = next == requests.size();
        switch (next_step(end)) {
            case NextStep::done:
                co_return;
            case NextStep::resend_rest:
                break;
            case NextStep::fail_one_resend_rest:
                finish(*end.failure);
                break;
            case NextStep::fail_rest:
                while (next < requests.size()) {
                    finish(*end.failure);
                }
                co_return;
        }
        timed_out_before =
            timed_out_before || (end.failure && end.failure->outcome == ExchangeOutcome::timed_out);
        if (next == requests.size()) {
            co_return;
        }
    }
}

const ExchangeResult& UpstreamRequest::result() const {
    net::check(result_.has_value(), "an upstream request's result read before exchange_all set it");
    return *result_;
}

namespace {
std::atomic<std::uint64_t> g_upstream_local_failures{0};
}  // namespace

void count_upstream_local_failure() {
    g_upstream_local_failures.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t upstream_local_failures() {
    return g_upstream_local_failures.load(std::memory_order_relaxed);
}

}  // namespace ringlb::balancer
