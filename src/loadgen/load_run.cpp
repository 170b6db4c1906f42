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

// One request's turn: its text and when it may be sent.
struct Turn {
    std::string text;
    Clock::time_point not_before;
};

class LoadRun {
  public:
    LoadRun(asio::io_context& ctx, const RunParams& params, const tcp::endpoint& endpoint)
        : ctx_(ctx),
          params_(params),
          endpoint_(endpoint),
          ids_(params.ids),
          stats_(params.timeline_interval),
          progress_timer_(ctx),
          request_prefix_("GET " + params.url.target + " HTTP/1.1\r\nHost: " +
                          host_header(params.url) + "\r\nUser-Agent: ringlb-load\r\n") {}

    void start(std::function<void(const RunProgress&)> on_progress,
               std::chrono::milliseconds progress_interval) {
        started_ = Clock::now();
        deadline_ = started_ + params_.max_duration;
        last_end_ = started_;
        const auto connections = std::min<std::uint64_t>(
            params_.concurrency, std::max<std::uint64_t>(params_.requests, 1));
        live_ = static_cast<std::size_t>(connections);
        for (std::uint64_t i = 0; i < connections; ++i) {
            asio::co_spawn(ctx_, connection(), asio::detached);
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
                .stopped_early = stopped_early_};
    }

  private:
    // The next request to send, or nothing when all are taken or the run is out of time.
    std::optional<Turn> next_turn() {
        if (sent_ >= params_.requests) {
            return std::nullopt;
        }
        Clock::time_point not_before = started_;
        if (params_.rate > 0) {
            not_before += std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(static_cast<double>(sent_) / params_.rate));
        }
        if (not_before >= deadline_ || Clock::now() >= deadline_) {
            stopped_early_ = true;
            return std::nullopt;
        }
        std::string text = request_prefix_;
        if (auto id = ids_.next()) {
            text += params_.id_header;
            text += ": ";
            text += *id;
            text += "\r\n";
        }
        text += "\r\n";
        ++sent_;
        return Turn{std::move(text), not_before};
    }

    asio::awaitable<void> connection() {
        std::optional<beast::tcp_stream> stream;
        beast::flat_buffer buffer;
        asio::steady_timer pace(ctx_);
        while (auto turn = next_turn()) {
            if (turn->not_before > Clock::now()) {
                pace.expires_at(turn->not_before);
                co_await pace.async_wait(kUseTuple);
            }
            if (!co_await exchange(stream, buffer, turn->text)) {
                // The connection is in an unknown state after any failure: start a fresh one.
                stream.reset();
                buffer.clear();
            }
        }
        stream.reset();
        if (--live_ == 0) {
            progress_timer_.cancel();
        }
    }

    // Sends one request and reads its answer, opening the connection first when there is none.
    // Records the outcome; false when the connection must not be reused.
    asio::awaitable<bool> exchange(std::optional<beast::tcp_stream>& stream,
                                   beast::flat_buffer& buffer, const std::string& text) {
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
            stats_.record_error(last_end_ - started_, kind);
            return false;
        };
        bool connecting = false;
        if (!stream) {
            connecting = true;
            stream.emplace(ctx_);
        }
        stream->expires_at(std::min(begin + params_.timeout, deadline_));
        if (connecting) {
            auto [ec] = co_await stream->async_connect(endpoint_, kUseTuple);
            if (ec) {
                co_return fail(ec, true);
            }
            boost::system::error_code ignored;
            stream->socket().set_option(tcp::no_delay(true), ignored);
        }
        if (auto [ec, n] = co_await asio::async_write(*stream, asio::buffer(text), kUseTuple); ec) {
            co_return fail(ec, false);
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(kBodyLimit);
        if (auto [ec, n] = co_await http::async_read(*stream, buffer, parser, kUseTuple); ec) {
            co_return fail(ec, false);
        }
        finish();
        const auto& answer = parser.get();
        stats_.record_answer(last_end_ - started_, last_end_ - begin, answer.result_int(),
                             parse_server_id(answer.body()));
        co_return answer.keep_alive();
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
    RunStats stats_;
    asio::steady_timer progress_timer_;
    std::string request_prefix_;
    Clock::time_point started_;
    Clock::time_point deadline_;
    Clock::time_point last_end_;
    std::uint64_t sent_ = 0;
    std::size_t live_ = 0;
    bool stopped_early_ = false;
};

}  // namespace

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
