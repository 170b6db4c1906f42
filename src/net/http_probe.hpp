#pragma once

#include <chrono>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "net/url.hpp"

namespace ringlb::net {

// The outcome of one GET: a transport error, or the answer's status code.
struct ProbeResult {
    boost::system::error_code error;
    unsigned status = 0;

    bool ok() const { return !error && status >= 200 && status < 300; }
};

// Sends one `GET target` on a fresh connection to `endpoint` and reads the answer, all within
// `timeout` (connect, write and read together). Never throws.
boost::asio::awaitable<ProbeResult> probe_http(boost::asio::ip::tcp::endpoint endpoint,
                                               std::string host, std::string target,
                                               std::chrono::milliseconds timeout);

// Resolves url.host and probes it on a private io_context; for the programs' --healthcheck mode.
ProbeResult probe_http_blocking(const HttpUrl& url, std::chrono::milliseconds timeout);

}  // namespace ringlb::net
