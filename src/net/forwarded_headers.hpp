#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/field.hpp>

namespace ringlb::net {

// Headers that describe one connection or the message's framing (RFC 9110 §7.6.1, plus
// Content-Length, which ringlb writes itself for every message it forwards). A proxy must not
// pass them on.
inline bool is_hop_by_hop(boost::beast::http::field name) {
    using boost::beast::http::field;
    switch (name) {
        case field::connection:
        case field::keep_alive:
        case field::proxy_connection:
        case field::te:
        case field::trailer:
        case field::transfer_encoding:
        case field::upgrade:
        case field::content_length:
            return true;
        default:
            return false;
    }
}

// Appends "Name: value\r\n" to a block of forwarded header lines.
inline void append_header_line(std::string& lines, std::string_view name, std::string_view value) {
    lines.append(name);
    lines += ": ";
    lines.append(value);
    lines += "\r\n";
}

}  // namespace ringlb::net
