#include "drivers/docker/docker_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "drivers/docker/engine_targets.hpp"

namespace ringlb::drivers {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

// A container list of a few hundred entries is well under this; past it is not an engine.
constexpr std::uint64_t kMaxResponseBytes = std::uint64_t{16} * 1024 * 1024;

}  // namespace

asio::awaitable<error_code> send_engine_request(UnixStream& stream, const std::string& socket_path,
                                                http::verb method, const std::string& target,
                                                const std::string& body) {
    const asio::local::stream_protocol::endpoint endpoint(socket_path);
    if (auto [ec] = co_await stream.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
        ec) {
        co_return ec;
    }
    http::request<http::string_body> request{method, target, 11};
    // The engine ignores Host, but HTTP/1.1 requires one.
    request.set(http::field::host, "docker");
    request.set(http::field::user_agent, "ringlb");
    request.set(http::field::connection, "close");
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = body;
    }
    request.prepare_payload();
    auto [ec, written] =
        co_await http::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
    co_return ec;
}

DockerClient::DockerClient(std::string socket_path, std::chrono::milliseconds timeout)
    : socket_path_(std::move(socket_path)), timeout_(timeout) {}

asio::awaitable<ApiResponse> DockerClient::request(http::verb method, std::string target,
                                                   std::string body,
                                                   std::chrono::milliseconds timeout) {
    UnixStream stream(co_await asio::this_coro::executor);
    stream.expires_after(timeout);
    ApiResponse response;
    if (auto ec = co_await send_engine_request(stream, socket_path_, method, target, body); ec) {
        response.error = ec;
        co_return response;
    }
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    if (auto [ec, n] =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        ec) {
        response.error = ec;
        co_return response;
    }
    response.status = parser.get().result_int();
    response.body = std::move(parser.get().body());
    error_code ignored;
    stream.socket().shutdown(asio::local::stream_protocol::socket::shutdown_both, ignored);
    co_return response;
}

asio::awaitable<ApiResponse> DockerClient::create_container(const ContainerSpec& spec) {
    return request(http::verb::post, engine::create_container(spec.name),
                   create_container_body(spec));
}

asio::awaitable<ApiResponse> DockerClient::start_container(std::string_view id) {
    return request(http::verb::post, engine::start_container(id));
}

asio::awaitable<ApiResponse> DockerClient::inspect_container(std::string_view id_or_name) {
    return request(http::verb::get, engine::inspect_container(id_or_name));
}

asio::awaitable<ApiResponse> DockerClient::stop_container(std::string_view id,
                                                          std::chrono::milliseconds grace) {
    // The engine answers only once the container is down, which takes up to `grace`.
    return request(http::verb::post, engine::stop_container(id, grace), {}, timeout_ + grace);
}

asio::awaitable<ApiResponse> DockerClient::remove_container(std::string_view id) {
    return request(http::verb::delete_, engine::remove_container(id));
}

asio::awaitable<ApiResponse> DockerClient::list_containers(
    const std::map<std::string, std::string>& labels) {
    return request(http::verb::get, engine::list_containers(labels));
}

asio::awaitable<ApiResponse> DockerClient::inspect_network(std::string_view name) {
    return request(http::verb::get, engine::inspect_network(name));
}

asio::awaitable<ApiResponse> DockerClient::create_network(
    std::string_view name, const std::map<std::string, std::string>& labels) {
    return request(http::verb::post, engine::create_network(), create_network_body(name, labels));
}

}  // namespace ringlb::drivers
