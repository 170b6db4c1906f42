#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include <boost/beast/http/basic_parser.hpp>

#include "net/body_mode.hpp"

namespace ringlb::net {

// The part of ringlb's request and response parsers that is the same for both: the body, whether
// framed by Content-Length or chunked, is appended to one string. The derived parser handles the
// start line and the fields, and says where the body goes.
template <bool isRequest>
class BodyCollectingParser : public boost::beast::http::basic_parser<isRequest> {
  protected:
    using error_code = boost::system::error_code;
    using string_view = boost::beast::string_view;

    explicit BodyCollectingParser(std::string& body) : body_(body) {}

  private:
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                           error_code& /*ec*/) final {
        // Never more than a buffered body: a larger one streams through in pieces, and a length
        // is only what the sender claims.
        if (content_length) {
            body_.reserve(static_cast<std::size_t>(std::min(*content_length, kMaxBufferedBody)));
        }
    }
    std::size_t on_body_impl(string_view body, error_code& /*ec*/) final {
        body_.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t /*size*/, string_view /*extensions*/,
                              error_code& /*ec*/) final {}
    std::size_t on_chunk_body_impl(std::uint64_t /*remain*/, string_view body,
                                   error_code& /*ec*/) final {
        body_.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(error_code& /*ec*/) final {}

    std::string& body_;
};

}  // namespace ringlb::net
