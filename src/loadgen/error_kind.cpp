#include "loadgen/error_kind.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace ringlb::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;

std::string_view error_kind_name(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::kConnect:
            return "connect";
        case ErrorKind::kTimeout:
            return "timeout";
        case ErrorKind::kClosed:
            return "closed";
        case ErrorKind::kProtocol:
            return "protocol";
        case ErrorKind::kAborted:
            return "aborted";
        case ErrorKind::kOther:
            return "other";
    }
    return "other";
}

ErrorKind classify_error(const boost::system::error_code& ec, bool connecting) noexcept {
    if (ec == beast::error::timeout) {
        return ErrorKind::kTimeout;
    }
    if (connecting) {
        return ErrorKind::kConnect;
    }
    if (ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
        ec == beast::http::error::partial_message || ec == asio::error::connection_reset ||
        ec == asio::error::broken_pipe || ec == asio::error::connection_aborted) {
        return ErrorKind::kClosed;
    }
    if (ec.category() == beast::http::make_error_code(beast::http::error::bad_version).category()) {
        return ErrorKind::kProtocol;
    }
    return ErrorKind::kOther;
}

}  // namespace ringlb::loadgen
