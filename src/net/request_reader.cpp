#include "net/request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>

namespace ringlb::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
constexpr std::size_t kReadChunk = 16 * 1024;
}  // namespace

asio::awaitable<error_code> read_request(asio::ip::tcp::socket& socket,
                                         boost::beast::flat_buffer& buffer, RequestParser& parser,
                                         TrackedConnection& tracked, const HttpLimits& limits) {
    parser.header_limit(limits.max_header_bytes);
    parser.body_limit(limits.max_body_bytes);
    parser.eager(true);
    bool started = buffer.size() > 0;
    if (started) {
        tracked.busy_for(limits.request_timeout);
    } else {
        tracked.idle_for(limits.idle_timeout);
    }
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
        }
        auto [ec, n] = co_await socket.async_read_some(buffer.prepare(kReadChunk),
                                                       asio::as_tuple(asio::use_awaitable));
        if (ec) {
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

bool is_disconnect(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

}  // namespace ringlb::net
