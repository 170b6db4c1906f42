#include "net/http_probe.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace ringlb::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
// A probe answer is small (a heartbeat is empty); anything bigger is not a healthy replica.
constexpr std::uint64_t kProbeBodyLimit = 64ULL * 1024;
}  // namespace

asio::awaitable<ProbeResult> probe_http(tcp::endpoint endpoint, std::string host,
                                        std::string target, std::chrono::milliseconds timeout) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(timeout);
    ProbeResult result;
    if (auto [ec] = co_await stream.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
        ec) {
        result.error = ec;
        co_return result;
    }
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, host);
    request.set(http::field::connection, "close");
    if (auto [ec, n] =
            co_await http::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
        ec) {
        result.error = ec;
        co_return result;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kProbeBodyLimit);
    if (auto [ec, n] =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        ec) {
        result.error = ec;
        co_return result;
    }
    result.status = parser.get().result_int();
    // The whole answer is in: a reset, not a FIN, so that neither side keeps the connection in
    // TIME_WAIT (a probe every 250 ms per replica would leave hundreds there, and a later connect
    // to the replica from the same port would meet one and wait for the kernel's SYN retry).
    boost::system::error_code ignored;
    stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
    stream.socket().close(ignored);
    co_return result;
}

ProbeResult probe_http_blocking(const HttpUrl& url, std::chrono::milliseconds timeout) {
    asio::io_context ctx;
    ProbeResult result;
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
            tcp::resolver resolver(ctx);
            auto [ec, endpoints] = co_await resolver.async_resolve(
                url.host, std::to_string(url.port), asio::as_tuple(asio::use_awaitable));
            if (ec || endpoints.empty()) {
                result.error = ec ? ec : asio::error::host_not_found;
                co_return;
            }
            const std::string host_header = url.host + ":" + std::to_string(url.port);
            result = co_await probe_http(endpoints.begin()->endpoint(), host_header, url.target,
                                         timeout);
        },
        asio::detached);
    ctx.run();
    return result;
}

}  // namespace ringlb::net
