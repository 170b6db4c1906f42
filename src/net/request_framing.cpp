#include "net/request_framing.hpp"

#include <algorithm>
#include <string>

#include <boost/beast/core/string.hpp>

namespace ringlb::net {

namespace {

// Boost's error_category has a protected non-virtual destructor, by design: categories are
// static objects, never deleted through the base. GCC warns about every subclass regardless.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class FramingCategory final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "ringlb.framing"; }

    std::string message(int value) const override {
        switch (static_cast<FramingError>(value)) {
            case FramingError::transfer_coding_not_chunked:
                return "Transfer-Encoding does not end in chunked";
            case FramingError::chunked_twice:
                return "Transfer-Encoding names chunked more than once";
            case FramingError::unsupported_transfer_coding:
                return "transfer codings other than chunked are not supported";
            case FramingError::transfer_encoding_in_http10:
                return "Transfer-Encoding in an HTTP/1.0 request";
            case FramingError::missing_host:
                return "HTTP/1.1 request without a Host header";
            case FramingError::repeated_host:
                return "more than one Host header";
            case FramingError::bad_host:
                return "invalid Host header";
            case FramingError::bad_absolute_target:
                return "invalid authority in an absolute-form target";
        }
        return "unknown framing error";
    }
};
#pragma GCC diagnostic pop

bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && is_ows(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_ows(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// RFC 3986: unreserved, sub-delims and '%' (of pct-encoded), the characters of a reg-name and of
// an IPv4 address.
bool is_host_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) {
        return true;
    }
    return std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

const boost::system::error_category& framing_category() {
    static const FramingCategory category;
    return category;
}

std::optional<FramingError> check_transfer_encoding(std::string_view value) {
    // A list (RFC 9110 §5.6.1): empty elements count for nothing.
    std::size_t codings = 0;
    bool chunked_before_last = false;
    std::string_view last;
    while (true) {
        const auto comma = value.find(',');
        const std::string_view element = trimmed(value.substr(0, comma));
        if (!element.empty()) {
            chunked_before_last = chunked_before_last || boost::beast::iequals(last, "chunked");
            last = element;
            ++codings;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        value.remove_prefix(comma + 1);
    }
    if (!boost::beast::iequals(last, "chunked")) {
        return FramingError::transfer_coding_not_chunked;
    }
    if (chunked_before_last) {
        return FramingError::chunked_twice;
    }
    if (codings > 1) {
        return FramingError::unsupported_transfer_coding;
    }
    return std::nullopt;
}

bool is_valid_host(std::string_view value) {
    std::string_view after_host;
    if (value.starts_with('[')) {
        // IP-literal: an IPv6 address or IPvFuture, whose characters are the host characters
        // and ':'.
        const auto close = value.find(']');
        if (close == std::string_view::npos || close == 1) {
            return false;
        }
        const std::string_view literal = value.substr(1, close - 1);
        if (!std::ranges::all_of(literal, [](char c) { return c == ':' || is_host_char(c); })) {
            return false;
        }
        after_host = value.substr(close + 1);
    } else {
        const auto colon = value.find(':');
        if (!std::ranges::all_of(value.substr(0, colon), is_host_char)) {
            return false;
        }
        after_host = colon == std::string_view::npos ? std::string_view{} : value.substr(colon);
    }
    if (after_host.empty()) {
        return true;
    }
    return after_host.front() == ':' && std::ranges::all_of(after_host.substr(1), is_digit);
}

std::optional<AbsoluteTarget> split_absolute_target(std::string_view target,
                                                    boost::system::error_code& ec) {
    const auto has_scheme = [target](std::string_view scheme) {
        return target.size() >= scheme.size() &&
               boost::beast::iequals(target.substr(0, scheme.size()), scheme);
    };
    std::string_view rest;
    if (has_scheme("http://")) {
        rest = target.substr(std::string_view("http://").size());
    } else if (has_scheme("https://")) {
        rest = target.substr(std::string_view("https://").size());
    } else {
        return std::nullopt;
    }
    const auto end = rest.find_first_of("/?");
    const AbsoluteTarget split{
        rest.substr(0, end), end == std::string_view::npos ? std::string_view{} : rest.substr(end)};
    // An http URI must have a host (RFC 9110 §4.2.1); userinfo ('@') is not a host character.
    if (split.authority.empty() || split.authority.front() == ':' ||
        !is_valid_host(split.authority)) {
        ec = FramingError::bad_absolute_target;
    }
    return split;
}

}  // namespace ringlb::net
