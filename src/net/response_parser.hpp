#pragma once

#include <cstdint>
#include <string>

#include <boost/beast/http/basic_parser.hpp>

namespace ringlb::net {

// What a proxy keeps of an upstream answer: the status line, the end-to-end headers (as
// "Name: value\r\n" lines, without hop-by-hop and framing headers) and the body. Reused across
// answers so its strings keep their capacity.
struct ResponseHead {
    unsigned status = 0;
    std::string reason;
    std::string forward_headers;
    std::string body;

    void clear();
};

// An HTTP/1.1 response parser over Beast's basic_parser that keeps only a ResponseHead. One per
// answer. For answers to HEAD requests call skip(true) so no body is expected.
class ResponseParser final : public boost::beast::http::basic_parser<false> {
  public:
    explicit ResponseParser(ResponseHead& head);

  private:
    using error_code = boost::system::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                         error_code& ec) override;
    void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                           error_code& ec) override;
    std::size_t on_body_impl(string_view body, error_code& ec) override;
    void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
    void on_finish_impl(error_code& ec) override;

    ResponseHead& head_;
};

}  // namespace ringlb::net
