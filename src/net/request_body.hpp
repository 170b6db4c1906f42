#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>

#include "net/connection_set.hpp"
#include "net/http_limits.hpp"
#include "net/request_parser.hpp"

namespace ringlb::net {

// The rest of a request's body when it streams (body_mode): read from the client piece by piece
// into the request's `body`, which whoever passes it on empties after each piece. What has
// arrived with the head is in `body` already. Lives in the session while the request is answered.
class PendingBody {
  public:
    PendingBody(boost::asio::ip::tcp::socket& socket, boost::beast::flat_buffer& buffer,
                RequestParser& parser, RequestHead& head, TrackedConnection& tracked,
                const HttpLimits& limits)
        : socket_(socket),
          buffer_(buffer),
          parser_(parser),
          head_(head),
          tracked_(tracked),
          limits_(limits) {}

    // The body read since the last piece was taken.
    std::string& piece() { return head_.body; }
    // Marks the piece passed on: from then on the body cannot be sent anywhere else.
    void took_piece() {
        head_.body.clear();
        taken_ = true;
    }
    bool taken() const { return taken_; }
    // Every byte of the body has been read (it may still be in piece()).
    bool done() const { return parser_.is_done(); }
    // The body's length, when the client gave one (else it is chunked).
    std::optional<std::uint64_t> content_length() const;

    // The longest read_more() waits for the client.
    std::chrono::milliseconds read_limit() const { return limits_.request_timeout; }

    // Reads more of the body into piece(): returns once there is some, or the body's end, or an
    // error (the client failed or closed, sent a malformed chunk, went past --max-body-bytes, or
    // was quiet past the request timeout). A read waits at most the request timeout.
    boost::asio::awaitable<boost::system::error_code> read_more();

  private:
    boost::asio::ip::tcp::socket& socket_;
    boost::beast::flat_buffer& buffer_;
    RequestParser& parser_;
    RequestHead& head_;
    TrackedConnection& tracked_;
    const HttpLimits& limits_;
    bool taken_ = false;
};

}  // namespace ringlb::net
