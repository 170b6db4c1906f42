#include "replica/endpoints.hpp"

#include "common/json_reply.hpp"

namespace ringlb::replica {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kAllowed = "GET, HEAD";

bool is_read(http::verb method) {
    return method == http::verb::get || method == http::verb::head;
}

}  // namespace

Endpoints::Endpoints(std::uint32_t server_id)
    : server_id_(server_id),
      home_body_(net::json_reply("Hello from Server: " + std::to_string(server_id), true)) {}

net::Response Endpoints::handle(http::verb method, std::string_view path) const {
    if (path != "/home" && path != "/heartbeat") {
        return {
            http::status::not_found,
            net::json_reply("<Error> '" + std::string(path) + "' endpoint does not exist", false)};
    }
    if (!is_read(method)) {
        return {http::status::method_not_allowed,
                net::json_reply("<Error> '" + std::string(path) + "' accepts only GET", false),
                "application/json", kAllowed};
    }
    if (path == "/home") {
        return {http::status::ok, home_body_};
    }
    return {http::status::ok, {}, {}};
}

}  // namespace ringlb::replica
