#include "net/request_body.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>

#include "net/body_mode.hpp"
#include "net/edge_read.hpp"

namespace ringlb::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
// One read from the client: with the piece being sent upstream, what a streamed body holds.
constexpr std::size_t kBodyRead = std::size_t{16} * 1024;
}  // namespace

std::optional<std::uint64_t> PendingBody::content_length() const {
    const auto length = parser_.content_length();
    return length ? std::optional(*length) : std::nullopt;
}

asio::awaitable<error_code> PendingBody::read_more() {
    bool read_first = buffer_.size() == 0;
    while (!parser_.is_done() && head_.body.empty()) {
        if (read_first) {
            if (buffer_.size() >= kMaxUnparsed) {
                co_return error_code(http::error::bad_chunk_extension);
            }
            tracked_.busy_for(limits_.request_timeout);
            auto [ec, n] =
                co_await async_read_edge(socket_, buffer_.prepare(kBodyRead), ReadStart::try_first,
                                         asio::as_tuple(asio::use_awaitable));
            if (ec) {
                co_return ec == asio::error::eof ? error_code(http::error::partial_message) : ec;
            }
            buffer_.commit(n);
        }
        error_code ec;
        buffer_.consume(parser_.put(buffer_.data(), ec));
        if (ec && ec != http::error::need_more) {
            co_return ec;
        }
        // need_more: what is buffered is not a whole piece (a chunk's size line cut short, say).
        read_first = ec == http::error::need_more || buffer_.size() == 0;
    }
    co_return error_code{};
}

}  // namespace ringlb::net
