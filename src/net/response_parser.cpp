#include "net/response_parser.hpp"

#include <boost/beast/http/error.hpp>

#include "net/forwarded_headers.hpp"

namespace ringlb::net {

namespace http = boost::beast::http;

void ResponseHead::clear() {
    status = 0;
    reason.clear();
    forward_headers.clear();
    upgrade.clear();
    body.clear();
}

ResponseParser::ResponseParser(ResponseHead& head) : BodyCollectingParser(head.body), head_(head) {
    head_.clear();
}

void ResponseParser::on_request_impl(http::verb, string_view, string_view, int, error_code& ec) {
    ec = http::error::bad_version;  // a response parser never sees a request line
}

void ResponseParser::on_response_impl(int code, string_view reason, int, error_code& ec) {
    if (code < 100) {
        ec = http::error::bad_status;  // three digits, but no status class (RFC 9110 §15)
        return;
    }
    head_.status = static_cast<unsigned>(code);
    head_.reason.assign(reason.data(), reason.size());
}

void ResponseParser::on_field_impl(http::field name, string_view name_string, string_view value,
                                   error_code&) {
    if (name == http::field::upgrade) {
        head_.upgrade.assign(value.data(), value.size());
    }
    if (!is_hop_by_hop(name)) {
        append_header_line(head_.forward_headers, name_string, value);
    }
}

void ResponseParser::on_header_impl(error_code&) {}

}  // namespace ringlb::net
