#pragma once

#include <cstdint>
#include <string_view>

#include <boost/system/error_code.hpp>

namespace ringlb::loadgen {

// Why a request got no answer. An answer with a non-2xx status is not one of these: it is counted
// by its status code.
enum class ErrorKind : std::uint8_t {
    kConnect,   // the connection could not be opened (refused, unreachable)
    kTimeout,   // no whole answer within --timeout
    kClosed,    // the server closed or reset the connection before the whole answer
    kProtocol,  // the answer was not valid HTTP/1.1, or too large
    kAborted,   // still in flight when --max-seconds ran out
    kOther,     // anything else the socket reported
};

// Names as they appear in reports and JSON ("connect", "timeout", ...).
std::string_view error_kind_name(ErrorKind kind) noexcept;

// Classifies a transport error. `connecting`: the error came from opening the connection, where
// every failure but a timeout means the server could not be reached.
ErrorKind classify_error(const boost::system::error_code& ec, bool connecting) noexcept;

}  // namespace ringlb::loadgen
