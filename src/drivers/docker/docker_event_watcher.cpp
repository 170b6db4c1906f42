#include "drivers/docker/docker_event_watcher.hpp"

#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>

#include "common/log.hpp"

namespace ringlb::drivers {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

// One event is a few hundred bytes; a "line" longer than this means we are not reading events.
constexpr std::size_t kMaxEventBytes = std::size_t{64} * 1024;
constexpr std::size_t kReadChunkBytes = 4096;

}  // namespace

DockerEventWatcher::DockerEventWatcher(asio::any_io_executor executor, std::string socket_path,
                                       std::string target,
                                       std::chrono::milliseconds connect_timeout,
                                       std::chrono::milliseconds retry, OnEvent on_event)
    : executor_(std::move(executor)),
      socket_path_(std::move(socket_path)),
      target_(std::move(target)),
      connect_timeout_(connect_timeout),
      retry_(retry),
      on_event_(std::move(on_event)),
      retry_timer_(executor_) {}

void DockerEventWatcher::start() {
    asio::co_spawn(
        executor_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void DockerEventWatcher::stop() {
    stopped_ = true;
    on_event_ = nullptr;
    retry_timer_.cancel();
    if (stream_) {
        stream_->close();
    }
}

asio::awaitable<void> DockerEventWatcher::run() {
    bool quiet = false;
    while (!stopped_) {
        streaming_ = false;
        const error_code ec = co_await follow();
        if (stopped_) {
            break;
        }
        // One line per outage, not one per retry.
        if (streaming_ || !quiet) {
            log::warn("docker_events_lost", {{"socket", socket_path_}, {"error", ec.message()}});
            quiet = true;
        }
        retry_timer_.expires_after(retry_);
        co_await retry_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<error_code> DockerEventWatcher::follow() {
    stream_.emplace(executor_);
    stream_->expires_after(connect_timeout_);
    if (auto ec =
            co_await send_engine_request(*stream_, socket_path_, http::verb::get, target_, {});
        ec) {
        co_return ec;
    }
    boost::beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    if (auto [ec, n] = co_await http::async_read_header(*stream_, buffer, parser,
                                                        asio::as_tuple(asio::use_awaitable));
        ec) {
        co_return ec;
    }
    if (parser.get().result() != http::status::ok) {
        co_return make_error_code(boost::system::errc::protocol_error);
    }
    // The stream stays open for as long as the engine runs; silence is normal.
    stream_->expires_never();
    streaming_ = true;
    std::array<char, kReadChunkBytes> chunk{};
    std::string pending;
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        auto [ec, n] = co_await http::async_read_some(*stream_, buffer, parser,
                                                      asio::as_tuple(asio::use_awaitable));
        if (ec && ec != http::error::need_buffer) {
            co_return ec;
        }
        if (stopped_) {
            co_return asio::error::operation_aborted;
        }
        pending.append(chunk.data(), chunk.size() - parser.get().body().size);
        deliver_lines(pending);
        if (pending.size() > kMaxEventBytes) {
            co_return make_error_code(boost::system::errc::message_size);
        }
    }
    co_return http::error::end_of_stream;
}

void DockerEventWatcher::deliver_lines(std::string& pending) {
    std::size_t start = 0;
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
        const std::string_view line(pending.data() + start, end - start);
        start = end + 1;
        if (auto event = parse_engine_event(line); event && on_event_) {
            on_event_(*event);
        }
        if (stopped_) {
            break;
        }
    }
    pending.erase(0, start);
}

}  // namespace ringlb::drivers
