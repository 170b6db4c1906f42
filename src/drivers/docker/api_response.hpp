#pragma once

#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

namespace ringlb::drivers {

// The outcome of one Engine API call: a transport error (daemon down, socket missing, timeout),
// or the daemon's status and body.
struct ApiResponse {
    boost::system::error_code error;
    unsigned status = 0;
    std::string body;

    bool ok() const { return !error && status >= 200 && status < 300; }
    bool has_status(unsigned expected) const { return !error && status == expected; }
};

// The daemon's explanation in an error body ({"message": "..."}), or the body itself, trimmed.
std::string daemon_message(std::string_view body);

// One phrase for logs and admin answers, e.g. "Docker daemon not reachable at
// /var/run/docker.sock: Connection refused" or "Docker daemon answered 404: No such image: x".
std::string describe_failure(const ApiResponse& response, std::string_view socket_path);

}  // namespace ringlb::drivers
