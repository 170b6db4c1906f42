#pragma once

#include <ostream>  // boost/beast/http/status.hpp uses std::ostream without including it
#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>

namespace ringlb::net {

// A complete, small HTTP answer produced by a pure request handler (the replica's endpoints, the
// load balancer's admin API and its own error answers).
struct Response {
    boost::beast::http::status status = boost::beast::http::status::ok;
    std::string body;
    std::string_view content_type = "application/json";
    std::string_view allow;  // the Allow header for 405 answers
};

// Appends `response` to `out` as HTTP/1.1 bytes. `head_only` omits the body (HEAD requests) but
// keeps its Content-Length; `keep_alive` false adds "Connection: close".
void serialize(const Response& response, std::string_view date, bool keep_alive, bool head_only,
               std::string& out);

}  // namespace ringlb::net
