#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/error_code.hpp>

#include "drivers/docker/api_response.hpp"
#include "drivers/docker/container_spec.hpp"

namespace ringlb::drivers {

// An HTTP/1.1 connection to the engine's unix socket, with Beast's per-operation deadline.
using UnixStream = boost::beast::basic_stream<boost::asio::local::stream_protocol>;

// Connects `stream` to the socket and writes one request (Connection: close; `body`, when not
// empty, as JSON). Within whatever deadline the caller set on the stream. Never throws.
boost::asio::awaitable<boost::system::error_code> send_engine_request(
    UnixStream& stream, const std::string& socket_path, boost::beast::http::verb method,
    const std::string& target, const std::string& body);

// The Docker Engine API calls the docker driver makes, over the unix socket, one fresh
// connection per call (they are rare: a replica's start or stop). Every call completes within
// its timeout and reports failure as a value; none throws. Calls complete on the executor of the
// coroutine that awaits them.
class DockerClient {
  public:
    DockerClient(std::string socket_path, std::chrono::milliseconds timeout);

    const std::string& socket_path() const { return socket_path_; }

    // One request within `timeout` (connect, write and read together).
    boost::asio::awaitable<ApiResponse> request(boost::beast::http::verb method, std::string target,
                                                std::string body,
                                                std::chrono::milliseconds timeout);
    boost::asio::awaitable<ApiResponse> request(boost::beast::http::verb method, std::string target,
                                                std::string body = {}) {
        return request(method, std::move(target), std::move(body), timeout_);
    }

    // These compose their request at once, so their arguments need not outlive the call.
    boost::asio::awaitable<ApiResponse> create_container(const ContainerSpec& spec);
    boost::asio::awaitable<ApiResponse> start_container(std::string_view id);
    boost::asio::awaitable<ApiResponse> inspect_container(std::string_view id_or_name);
    // Waits for the container to stop: `grace` for it to exit on SIGTERM, then the engine kills.
    boost::asio::awaitable<ApiResponse> stop_container(std::string_view id,
                                                       std::chrono::milliseconds grace);
    boost::asio::awaitable<ApiResponse> remove_container(std::string_view id);
    boost::asio::awaitable<ApiResponse> list_containers(
        const std::map<std::string, std::string>& labels);
    boost::asio::awaitable<ApiResponse> inspect_network(std::string_view name);
    boost::asio::awaitable<ApiResponse> create_network(
        std::string_view name, const std::map<std::string, std::string>& labels);

  private:
    std::string socket_path_;
    std::chrono::milliseconds timeout_;
};

}  // namespace ringlb::drivers
