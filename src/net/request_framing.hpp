#pragma once

#include <optional>
#include <string_view>
#include <type_traits>

#include <boost/system/error_code.hpp>

namespace ringlb::net {

// Why RequestParser refused a request whose framing or target RFC 9112 does not allow. Each one
// ends the connection after the answer (read_failure_answer): what follows the head cannot be
// trusted to start where the client meant the next request to.
enum class FramingError {
    transfer_coding_not_chunked = 1,  // Transfer-Encoding does not end in chunked (§6.3 item 4)
    chunked_twice,                    // chunked applied more than once (§7)
    unsupported_transfer_coding,      // another coding before chunked (§6.1: 501)
    transfer_encoding_in_http10,      // framing an HTTP/1.0 peer cannot mean (§6.1)
    missing_host,                     // an HTTP/1.1 request without Host (§3.2)
    repeated_host,                    // more than one Host line (§3.2)
    bad_host,                         // a Host value that is no uri-host [":" port] (§3.2)
    bad_absolute_target,              // http(s):// with an empty or invalid authority (§3.2.2)
};

const boost::system::error_category& framing_category();

inline boost::system::error_code make_error_code(FramingError e) {
    return {static_cast<int>(e), framing_category()};
}

// What one Transfer-Encoding field line allows: nothing but "chunked" (ringlb decodes no other
// coding). nullopt when the value is exactly that.
std::optional<FramingError> check_transfer_encoding(std::string_view value);

// True when `value` has the shape of uri-host [":" port] (RFC 3986 characters only, an IP
// literal in brackets, a port of digits). The empty value is valid: it is how a client says the
// target has no authority.
bool is_valid_host(std::string_view value);

// A request target in absolute-form with the http or https scheme, split. `origin` is what
// follows the authority: the path and the query, possibly empty or starting with '?'.
struct AbsoluteTarget {
    std::string_view authority;
    std::string_view origin;
};

// nullopt for any target that does not start with "http://" or "https://" (in any case): an
// origin-form path, "*", an authority-form CONNECT target. For one that does, either the split
// or FramingError::bad_absolute_target when the authority is empty, has userinfo, or is not a
// valid host.
std::optional<AbsoluteTarget> split_absolute_target(std::string_view target,
                                                    boost::system::error_code& ec);

}  // namespace ringlb::net

template <>
struct boost::system::is_error_code_enum<ringlb::net::FramingError> : std::true_type {};
