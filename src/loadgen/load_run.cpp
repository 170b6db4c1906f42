#include "loadgen/load_run.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "loadgen/home_answer.hpp"
#include "loadgen/turn_queue.hpp"

namespace ringlb::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// A /home answer is about 60 bytes; anything past this is not an answer worth reading whole.
constexpr std::uint64_t kBodyLimit = std::uint64_t{1024} * 1024;

std::string host_header(const net::HttpUrl& url) {
    const bool ipv6 = url.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
    const std::string host = endpoint.address().to_string();
    return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" +
           std::to_string(endpoint.port());
}

tcp::endpoint resolve(asio::io_context& ctx, const net::HttpUrl& url) {
    tcp::resolver resolver(ctx);
    boost::system::error_code ec;
    const auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec || results.empty()) {
        throw std::runtime_error("cannot resolve " + url.host + ": " +
                                 (ec ? ec.message() : std::string("no address")));
    }
    return results.begin()->endpoint();
}

// A connection of the run, opened on first use and again after any failure.
struct Connection {
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
};

class LoadRun {
  public:
    LoadRun(asio::io_context& ctx, const RunParams& params, const tcp::endpoint& endpoint)
        : ctx_(ctx),
          params_(params),
          endpoint_(endpoint),
          ids_(params.ids),
          paths_(mix_of(params), params.ids.seed),
          stats_(params.timeline_interval),
          progress_timer_(ctx) {
        for (const WeightedPath& entry : mix_of(params)) {
            request_prefixes_.push_back("GET " + entry.path +
                                        " HTTP/1.1\r\nHost: " + host_header(params.url) +
                                        "\r\nUser-Agent: ringlb-load\r\n");
        }
    }

    void start(std::function<void(const RunProgress&)> on_progress,
               std::chrono::milliseconds progress_interval) {
        started_ = Clock::now();
        deadline_ = started_ + params_.max_duration;
        last_end_ = started_;
        const auto connections = std::min<std::uint64_t>(
            params_.concurrency, std::max<std::uint64_t>(params_.requests, 1));
        live_ = static_cast<std::size_t>(connections);
        const bool open_loop = params_.open_loop && params_.rate > 0;
        for (std::uint64_t i = 0; i < connections; ++i) {
            asio::co_spawn(ctx_, open_loop ? open_loop_connection() : closed_loop_connection(),
                           asio::detached);
        }
        if (open_loop) {
            // After the connections: they start in order, so all wait for the first request.
            asio::co_spawn(ctx_, schedule(), asio::detached);
        }
        if (on_progress) {
            asio::co_spawn(ctx_, report_progress(std::move(on_progress), progress_interval),
                           asio::detached);
        }
    }

    RunProgress progress() const {
        return {.completed = stats_.completed(),
                .failed = stats_.failed(),
                .total = params_.requests,
                .elapsed = Clock::now() - started_};
    }

    RunResult result(std::chrono::system_clock::time_point started_at) && {
        return {.address = format_endpoint(endpoint_),
                .stats = std::move(stats_),
                .sent = sent_,
                .started_at = started_at,
                .elapsed = last_end_ - started_,
                .stopped_early = stopped_early_ || queue_.waiting_turns() > 0,
                .lateness = lateness_};
    }

  private:
    Clock::time_point due_at(std::uint64_t index) const {
        return started_ +
               std::chrono::duration_cast<Clock::duration>(scheduled_offset(index, params_.rate));
    }

    // The next request in the run's order: its path and key are drawn here, one after another.
    Turn make_turn(Clock::time_point due) {
        Turn turn{.index = made_, .due = due, .path = paths_.next(), .id = ids_.next()};
        ++made_;
        return turn;
    }

    std::string request_text(const Turn& turn) const {
        std::string text = request_prefixes_[turn.path];
        if (turn.id) {
            text += params_.id_header;
            text += ": ";
            text += *turn.id;
            text += "\r\n";
        }
        text += "\r\n";
        return text;
    }

    // Closed loop: the next request to send, or nothing when all are taken or the run is out of
    // time.
    std::optional<Turn> next_turn() {
        if (made_ >= params_.requests) {
            return std::nullopt;
        }
        const Clock::time_point not_before = params_.rate > 0 ? due_at(made_) : started_;
        if (not_before >= deadline_ || Clock::now() >= deadline_) {
            stopped_early_ = true;
            return std::nullopt;
        }
        ++sent_;
        return make_turn(not_before);
    }

    asio::awaitable<void> closed_loop_connection() {
        Connection connection;
        asio::steady_timer pace(ctx_);
        while (auto turn = next_turn()) {
            if (turn->due > Clock::now()) {
                pace.expires_at(turn->due);
                co_await pace.async_wait(kUseTuple);
            }
            co_await exchange(connection, *turn, Clock::now());
        }
        connection_done();
    }

    // Open loop: gives each request to the connections at its scheduled time, whatever they are
    // doing, until all are given or the run is out of time.
    asio::awaitable<void> schedule() {
        asio::steady_timer timer(ctx_);
        std::uint64_t given = 0;
        while (given < params_.requests) {
            const Clock::time_point next_due = due_at(given);
            if (next_due >= deadline_) {
                stopped_early_ = true;
                break;
            }
            if (next_due > Clock::now()) {
                timer.expires_at(next_due);
                co_await timer.async_wait(kUseTuple);
            }
            const Clock::time_point now = Clock::now();
            if (now >= deadline_) {
                stopped_early_ = true;
                break;
            }
            // A late wake-up gives every request due by now at once.
            const std::uint64_t due = due_count(now - started_, params_.rate, params_.requests);
            for (; given < due; ++given) {
                queue_.give(make_turn(due_at(given)));
            }
        }
        queue_.close();
    }

    asio::awaitable<void> open_loop_connection() {
        Connection connection;
        while (Clock::now() < deadline_) {
            auto taken = co_await queue_.take();
            if (!taken) {
                break;
            }
            if (taken->waited) {
                lateness_.record(taken->turn.due - started_, Clock::now() - started_);
            }
            ++sent_;
            co_await exchange(connection, taken->turn, taken->turn.due);
        }
        connection_done();
    }

    void connection_done() {
        if (--live_ == 0) {
            progress_timer_.cancel();
        }
    }

    // Sends one request and reads its answer, opening the connection first when there is none,
    // and records the outcome with the latency from `latency_from`. After any failure the
    // connection is in an unknown state: it is dropped, and the next request opens a fresh one.
    asio::awaitable<void> exchange(Connection& connection, const Turn& turn,
                                   Clock::time_point latency_from) {
        const auto begin = Clock::now();
        // A request that the end of the run cuts short is aborted, not timed out.
        const bool cut_by_run = begin + params_.timeout > deadline_;
        const auto fail = [&](const boost::system::error_code& ec, bool connecting) {
            ErrorKind kind = classify_error(ec, connecting);
            if (kind == ErrorKind::kTimeout && cut_by_run) {
                kind = ErrorKind::kAborted;
                stopped_early_ = true;
            }
            finish();
            stats_.record_error(last_end_ - started_, kind, turn.path);
            connection.stream.reset();
            connection.buffer.clear();
        };
        auto& stream = connection.stream;
        const bool connecting = !stream;
        if (connecting) {
            stream.emplace(ctx_);
        }
        stream->expires_at(std::min(begin + params_.timeout, deadline_));
        if (connecting) {
            if (auto [ec] = co_await stream->async_connect(endpoint_, kUseTuple); ec) {
                co_return fail(ec, true);
            }
            boost::system::error_code ignored;
            stream->socket().set_option(tcp::no_delay(true), ignored);
        }
        const std::string text = request_text(turn);
        if (auto [ec, n] = co_await asio::async_write(*stream, asio::buffer(text), kUseTuple); ec) {
            co_return fail(ec, false);
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(kBodyLimit);
        if (auto [ec, n] = co_await http::async_read(*stream, connection.buffer, parser, kUseTuple);
            ec) {
            co_return fail(ec, false);
        }
        finish();
        const auto& answer = parser.get();
        stats_.record_answer(last_end_ - started_, last_end_ - latency_from, answer.result_int(),
                             parse_server_id(answer.body()), turn.path);
        if (!answer.keep_alive()) {
            stream.reset();
            connection.buffer.clear();
        }
    }

    void finish() { last_end_ = Clock::now(); }

    asio::awaitable<void> report_progress(std::function<void(const RunProgress&)> on_progress,
                                          std::chrono::milliseconds interval) {
        while (live_ > 0) {
            progress_timer_.expires_after(interval);
            co_await progress_timer_.async_wait(kUseTuple);
            if (live_ > 0) {
                on_progress(progress());
            }
        }
    }

    asio::io_context& ctx_;
    const RunParams& params_;
    tcp::endpoint endpoint_;
    RequestIdSource ids_;
    PathStream paths_;
    RunStats stats_;
    asio::steady_timer progress_timer_;
    std::vector<std::string> request_prefixes_;  // by path: the request line and fixed headers
    TurnQueue queue_;                            // open loop only
    Lateness lateness_;
    Clock::time_point started_;
    Clock::time_point deadline_;
    Clock::time_point last_end_;
    std::uint64_t made_ = 0;  // requests whose turn was made, in order
    std::uint64_t sent_ = 0;
    std::size_t live_ = 0;
    bool stopped_early_ = false;
};

}  // namespace

std::vector<WeightedPath> mix_of(const RunParams& params) {
    if (params.paths.empty()) {
        return {WeightedPath{.path = params.url.target, .weight = 1}};
    }
    return params.paths;
}

RunResult run_load(const RunParams& params,
                   const std::function<void(const RunProgress&)>& on_progress,
                   std::chrono::milliseconds progress_interval) {
    asio::io_context ctx(1);
    LoadRun run(ctx, params, resolve(ctx, params.url));
    const auto started_at = std::chrono::system_clock::now();
    run.start(on_progress, progress_interval);
    ctx.run();
    if (on_progress) {
        on_progress(run.progress());
    }
    return std::move(run).result(started_at);
}

}  // namespace ringlb::loadgen
