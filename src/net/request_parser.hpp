#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/verb.hpp>

#include "net/body_collecting_parser.hpp"

namespace ringlb::net {

class PendingBody;

// What ringlb keeps of a request: the request line, the framing, one chosen header, and the body.
// Reused across the requests of a connection, so its strings keep their capacity.
struct RequestHead {
    boost::beast::http::verb method = boost::beast::http::verb::unknown;
    std::string method_text;
    // As sent, except an absolute-form target (http://host/path?q), kept in its origin form
    // (/path?q): a replica is an origin server and is always sent the origin form.
    std::string target;
    std::size_t path_size = 0;  // of `target`'s path, the part before any '?', set by the parser
    unsigned version = 11;
    std::string key_header_value;  // the value of the header named when parsing, if present
    bool has_key_header = false;
    // With keep_headers: every end-to-end header as "Name: value\r\n" lines, in order, without
    // the hop-by-hop ones (RFC 9110 §7.6.1), the framing (Content-Length, Transfer-Encoding),
    // Expect (ringlb answers it itself: expects_continue) and X-Forwarded-For (kept apart, below).
    // Host always comes out once (RFC 9112 §3.2.2, §3.2): an absolute-form target's authority
    // replaces the client's Host, and an HTTP/1.0 request without one gets one (that authority,
    // or empty), since the request goes on as HTTP/1.1.
    std::string forward_headers;
    std::string forwarded_for;
    std::string body;
    bool expects_continue = false;  // the client sent Expect: 100-continue
    // The protocol the client asks to switch to (Upgrade, with Connection: upgrade), else empty.
    std::string upgrade;
    // The session's bytes read past this request's end: a tunnel takes them (set while the
    // request is answered).
    boost::beast::flat_buffer* unread = nullptr;
    // Set while the request is answered when its body streams (body_mode): the rest of the body
    // is read from here, and `body` holds the part read but not yet passed on.
    PendingBody* pending_body = nullptr;

    // The target without its query.
    std::string_view path() const { return std::string_view(target).substr(0, path_size); }

    void clear();
};

// An HTTP/1.1 request parser over Beast's basic_parser that stores no header fields except the
// one it is asked for: Beast's ready-made parser allocates a node per header, which on the
// request path costs more than the parsing itself. Limits: Beast's header_limit and body_limit.
// One parser per request (Beast parsers cannot be reset); constructing one allocates nothing.
//
// Besides Beast's own checks it refuses, with a FramingError (net/request_framing.hpp), what RFC
// 9112 says a server must not guess at: a Transfer-Encoding other than chunked alone, any
// Transfer-Encoding in HTTP/1.0, an HTTP/1.1 request without Host, more than one Host or an
// invalid one, and an http(s) absolute-form target without a valid authority.
class RequestParser final : public BodyCollectingParser<true> {
  public:
    // `key_header`: a header name (case-insensitive) whose value lands in head.key_header_value;
    // empty for none. `keep_headers`: fill head.forward_headers, for a proxy.
    RequestParser(RequestHead& head, std::string_view key_header, bool keep_headers = false);

    // Most header fields a request may have; past it parsing fails with http::error::header_limit
    // (the count matters apart from their size: each one costs work downstream).
    void field_limit(std::uint32_t limit) { field_limit_ = limit; }

    bool expects_continue() const { return head_.expects_continue; }
    // The bytes of the body read so far (while it is read whole: its size).
    std::uint64_t body_read() const { return head_.body.size(); }
    // Once the head is read: the body's Content-Length, none when it is chunked.
    std::optional<std::uint64_t> body_length() const {
        const auto length = content_length();
        return length ? std::optional(*length) : std::nullopt;
    }

  private:
    void on_request_impl(boost::beast::http::verb method, string_view method_str,
                         string_view target, int version, error_code& ec) override;
    void on_response_impl(int, string_view, int, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;
    // The Host and Transfer-Encoding rules; sets `ec` to the FramingError a field breaks.
    void check_framing_field(boost::beast::http::field name, string_view value, error_code& ec);

    RequestHead& head_;
    std::string_view key_header_;
    bool keep_headers_;
    std::uint32_t field_limit_ = 100;
    std::uint32_t fields_ = 0;
    std::uint32_t hosts_ = 0;
    bool transfer_encoding_ = false;
    bool absolute_form_ = false;
    std::string authority_;  // of an absolute-form target
};

}  // namespace ringlb::net
