#pragma once

#include <cstdint>
#include <string>

#include <boost/beast/http/basic_parser.hpp>

#include "net/body_collecting_parser.hpp"

namespace ringlb::net {

// What a proxy keeps of an upstream answer: the status line, the end-to-end headers (as
// "Name: value\r\n" lines, without hop-by-hop and framing headers) and the body. Reused across
// answers so its strings keep their capacity.
struct ResponseHead {
    unsigned status = 0;
    std::string reason;
    std::string forward_headers;
    std::string upgrade;  // the protocol a 101 switches to (its Upgrade header)
    std::string body;

    void clear();
};

// An HTTP/1.1 response parser over Beast's basic_parser that keeps only a ResponseHead. One per
// answer. For answers to HEAD requests call skip(true) so no body is expected.
class ResponseParser final : public BodyCollectingParser<false> {
  public:
    explicit ResponseParser(ResponseHead& head);

  private:
    void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                         error_code& ec) override;
    void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;

    ResponseHead& head_;
};

}  // namespace ringlb::net
