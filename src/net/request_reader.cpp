#include "net/request_reader.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "common/json_reply.hpp"
#include "net/body_mode.hpp"
#include "net/edge_read.hpp"
#include "net/request_framing.hpp"

namespace ringlb::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
// A request's first read asks for little: nearly every request fits in it, and the buffer a
// keep-alive connection holds between requests stays that small (with 10 000 idle clients, each
// one's buffer counts). Every further read of the same request asks for twice as much, up to
// kMaxRead, so large headers and bodies still arrive in few syscalls.
constexpr std::size_t kFirstRead = 1024;
constexpr std::size_t kMaxRead = std::size_t{64} * 1024;

asio::awaitable<error_code> write_unsent(asio::ip::tcp::socket& socket, std::string& unsent) {
    if (unsent.empty()) {
        co_return error_code{};
    }
    auto [ec, written] = co_await asio::async_write(socket, asio::buffer(unsent),
                                                    asio::as_tuple(asio::use_awaitable));
    unsent.clear();
    co_return ec;
}
}  // namespace

asio::awaitable<error_code> read_request(asio::ip::tcp::socket& socket,
                                         boost::beast::flat_buffer& buffer, RequestParser& parser,
                                         TrackedConnection& tracked, const HttpLimits& limits,
                                         std::string& unsent) {
    parser.header_limit(limits.max_header_bytes);
    parser.field_limit(limits.max_header_fields);
    parser.body_limit(limits.max_body_bytes == 0
                          ? boost::optional<std::uint64_t>()
                          : boost::optional<std::uint64_t>(limits.max_body_bytes));
    parser.eager(true);
    bool continued = false;  // 100 Continue sent
    bool started = buffer.size() > 0;
    if (started) {
        tracked.busy_for(limits.request_timeout);
    } else {
        tracked.idle_for(limits.idle_timeout);
    }
    std::size_t read_size = kFirstRead;
    for (;;) {
        if (buffer.size() > 0) {
            error_code ec;
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec && ec != http::error::need_more) {
                co_return ec;
            }
            if (parser.is_done()) {
                co_return error_code{};
            }
            if (parser.is_header_done() && buffer.size() > kMaxUnparsed) {
                // Bytes of the body the parser cannot take (a chunk line without end) are not
                // held without limit.
                co_return error_code(http::error::bad_chunk_extension);
            }
            if (parser.is_header_done() && !continued && parser.expects_continue()) {
                // The client waits for this before it sends the body (RFC 9110 §10.1.1).
                unsent += "HTTP/1.1 100 Continue\r\n\r\n";
                continued = true;
            }
            if (parser.is_header_done() && limits.stream_bodies &&
                request_body_mode(parser.body_length(), parser.body_read()) == BodyMode::stream) {
                co_return co_await write_unsent(socket, unsent);  // the answer reads the body
            }
        }
        if (auto write_ec = co_await write_unsent(socket, unsent)) {
            co_return write_ec;
        }
        // The previous answer has usually only just been written, so the client's next request is
        // rarely in yet: async_read_edge waits for it without a recv that would fail with EAGAIN,
        // and without a syscall at all. Once the request has started, a client's FIN may sit
        // behind its bytes with no event to come, so the rest is read at once.
        auto [ec, n] =
            co_await async_read_edge(socket, buffer.prepare(read_size),
                                     started ? ReadStart::try_first : ReadStart::after_event,
                                     asio::as_tuple(asio::use_awaitable));
        read_size = std::min(read_size * 2, kMaxRead);
        if (ec) {
            if (!started && ec == asio::error::operation_aborted &&
                tracked.entry().park_requested && !tracked.entry().timed_out) {
                co_return error_code(asio::error::would_block);
            }
            if (ec == asio::error::eof) {
                co_return started ? error_code(http::error::partial_message)
                                  : error_code(http::error::end_of_stream);
            }
            co_return ec;
        }
        buffer.commit(n);
        if (!started) {
            started = true;
            tracked.busy_for(limits.request_timeout);
        }
    }
}

asio::awaitable<void> drain_before_close(asio::ip::tcp::socket& socket,
                                         TrackedConnection& tracked) {
    constexpr auto kQuiet = std::chrono::seconds(2);
    constexpr auto kAtMost = std::chrono::seconds(30);
    const auto started = std::chrono::steady_clock::now();
    std::array<char, 4096> dropped;  // NOLINT(cppcoreguidelines-pro-type-member-init)
    while (std::chrono::steady_clock::now() - started < kAtMost) {
        tracked.busy_for(kQuiet);
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(dropped),
                                                       asio::as_tuple(asio::use_awaitable));
        if (ec) {
            co_return;
        }
    }
}

Response read_failure_answer(const error_code& ec) {
    if (ec == http::error::header_limit) {
        return {http::status::request_header_fields_too_large,
                json_reply("<Error> request headers too large", false)};
    }
    if (ec == http::error::body_limit) {
        return {http::status::payload_too_large,
                json_reply("<Error> request body too large", false)};
    }
    if (ec == FramingError::unsupported_transfer_coding) {
        // RFC 9112 §6.1: a coding the server does not implement is a 501, not a client error.
        return {http::status::not_implemented, json_reply("<Error> " + ec.message(), false)};
    }
    return {http::status::bad_request,
            json_reply("<Error> malformed request: " + ec.message(), false)};
}

bool went_idle(const error_code& ec) {
    return ec == asio::error::would_block;
}

bool is_disconnect(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

}  // namespace ringlb::net
