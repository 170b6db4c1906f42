#include "net/request_parser.hpp"

#include <algorithm>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include "net/forwarded_headers.hpp"
#include "net/request_framing.hpp"

namespace ringlb::net {

namespace http = boost::beast::http;

void RequestHead::clear() {
    method = http::verb::unknown;
    method_text.clear();
    target.clear();
    path_size = 0;
    version = 11;
    key_header_value.clear();
    has_key_header = false;
    forward_headers.clear();
    forwarded_for.clear();
    body.clear();
    expects_continue = false;
    upgrade.clear();
    unread = nullptr;
    pending_body = nullptr;
}

RequestParser::RequestParser(RequestHead& head, std::string_view key_header, bool keep_headers)
    : BodyCollectingParser(head.body),
      head_(head),
      key_header_(key_header),
      keep_headers_(keep_headers) {
    head_.clear();
}

void RequestParser::on_request_impl(http::verb method, string_view method_str, string_view target,
                                    int version, error_code& ec) {
    head_.method = method;
    head_.method_text.assign(method_str.data(), method_str.size());
    head_.version = static_cast<unsigned>(version);
    const auto absolute = split_absolute_target(target, ec);
    if (ec) {
        return;
    }
    if (absolute) {
        // RFC 9112 §3.2.2: the authority stands for Host, the rest is the origin form, where an
        // empty path is "/".
        absolute_form_ = true;
        head_.target.clear();
        if (absolute->origin.empty() || absolute->origin.front() == '?') {
            head_.target += '/';
        }
        head_.target += absolute->origin;
        authority_.assign(absolute->authority);
    } else {
        head_.target.assign(target.data(), target.size());
    }
    head_.path_size = std::min(head_.target.find('?'), head_.target.size());
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
    ec = http::error::bad_method;  // a request parser never sees a status line
}

void RequestParser::check_framing_field(http::field name, string_view value, error_code& ec) {
    if (name == http::field::host) {
        if (++hosts_ > 1) {
            ec = FramingError::repeated_host;
        } else if (!is_valid_host(value)) {
            ec = FramingError::bad_host;
        }
    } else if (name == http::field::transfer_encoding) {
        transfer_encoding_ = true;
        if (head_.version < 11) {
            ec = FramingError::transfer_encoding_in_http10;
        } else if (const auto refused = check_transfer_encoding(value)) {
            ec = *refused;
        }
    }
}

void RequestParser::on_field_impl(http::field name, string_view name_string, string_view value,
                                  error_code& ec) {
    if (++fields_ > field_limit_) {
        ec = http::error::header_limit;
        return;
    }
    // Refused as soon as the field line arrives, so that a Content-Length next to a refused
    // Transfer-Encoding is never used (nor weighed against the body limit).
    check_framing_field(name, value, ec);
    if (ec) {
        return;
    }
    if (absolute_form_ && name == http::field::host) {
        // RFC 9112 §3.2.2: the target's authority wins over the client's Host, for the key as
        // for the replica.
        value = string_view(authority_.data(), authority_.size());
    }
    if (!key_header_.empty() && !head_.has_key_header &&
        boost::beast::iequals(name_string, key_header_)) {
        head_.key_header_value.assign(value.data(), value.size());
        head_.has_key_header = true;
    }
    // Expect is answered by the server that reads the request (read_request sends 100 Continue
    // when it starts to read the body), so the replica has nothing left to confirm.
    if (name == http::field::expect) {
        // An HTTP/1.0 client cannot expect it (RFC 9110 §10.1.1).
        head_.expects_continue =
            head_.version >= 11 && boost::beast::iequals(value, "100-continue");
        return;
    }
    if (name == http::field::upgrade) {
        head_.upgrade.assign(value.data(), value.size());  // kept only with Connection: upgrade
    }
    if (!keep_headers_ || is_hop_by_hop(name)) {
        return;
    }
    if (boost::beast::iequals(name_string, "X-Forwarded-For")) {
        if (!head_.forwarded_for.empty()) {
            head_.forwarded_for += ", ";
        }
        head_.forwarded_for.append(value.data(), value.size());
        return;
    }
    append_header_line(head_.forward_headers, name_string, value);
}

void RequestParser::on_header_impl(error_code& ec) {
    if (!upgrade()) {
        head_.upgrade.clear();  // Upgrade without Connection: upgrade asks for nothing
    }
    // Beast takes a field line as chunked only when chunked is its last coding; the checks above
    // allow nothing else. Should the two ever disagree, the request is refused, not read as one
    // without a body (which would make its body the next request).
    if (transfer_encoding_ && !chunked()) {
        ec = FramingError::transfer_coding_not_chunked;
        return;
    }
    if (hosts_ > 0) {
        return;
    }
    if (head_.version >= 11) {
        ec = FramingError::missing_host;
        return;
    }
    if (keep_headers_) {
        append_header_line(head_.forward_headers, "Host", authority_);
    }
}

}  // namespace ringlb::net
