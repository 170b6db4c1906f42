#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

#include "net/response.hpp"

namespace ringlb::replica {

// The replica's HTTP API (docs/contract.md, "Replica server") as a pure function of the method
// and the path (the target without its query, RequestHead::path()):
//   GET /home       200 {"message": "Hello from Server: <id>", "status": "successful"}
//   GET /heartbeat  200, empty body
//   anything else   404 JSON in the same shape; other methods on the two endpoints get 405.
class Endpoints {
  public:
    explicit Endpoints(std::uint32_t server_id);

    net::Response handle(boost::beast::http::verb method, std::string_view path) const;

    std::uint32_t server_id() const { return server_id_; }

  private:
    std::uint32_t server_id_;
    std::string home_body_;
};

}  // namespace ringlb::replica
