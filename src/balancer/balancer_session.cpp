#include "balancer/balancer_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "net/json_reply.hpp"
#include "net/request_reader.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// An answer for a request this listener does not serve, or one it refuses outright.
net::Response not_here(std::string_view path, ListenerRole role) {
    const std::string where = role == ListenerRole::admin_only ? "' is not an admin endpoint"
                                                               : "' is served on the admin address only";
    return {http::status::not_found, net::json_reply("<Error> '" + std::string(path) + where, false)};
}

}  // namespace

asio::awaitable<net::SessionEnd> serve_client(net::Connection& connection, net::WorkerContext& worker,
                                              DataPlane& plane, ListenerRole role) {
    tcp::socket& socket = connection.socket;
    net::TrackedConnection& tracked = connection.tracked;
    ProxyWorker& state = plane.workers[worker.index];
    const std::string client_ip = connection.peer.address().to_string();
    const std::string_view key_header = plane.options.key_policy.header_to_capture();
    boost::beast::flat_buffer buffer;
    net::RequestHead request;
    ProxyBuffers buffers;
    std::string out;
    while (!worker.connections.draining()) {
        net::RequestParser parser(request, key_header, true);
        const auto read_ec = co_await net::read_request(socket, buffer, parser, tracked, plane.options.limits);
        out.clear();
        bool keep_alive = false;
        if (net::went_idle(read_ec)) {
            co_return net::SessionEnd::idle;
        }
        if (read_ec) {
            if (net::is_disconnect(read_ec) || tracked.entry().timed_out) {
                break;
            }
            net::serialize(net::read_failure_answer(read_ec), worker.connections.http_date(), false, false, out);
        } else if (request.target.size() > plane.options.front.max_url_bytes) {
            net::serialize({http::status::uri_too_long, net::json_reply("<Error> request target too long", false)},
                           worker.connections.http_date(), false, false, out);
        } else {
            keep_alive = parser.keep_alive() && !worker.connections.draining();
            const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
            const bool admin_path = AdminApi::is_admin_path(path);
            const bool head = request.method == http::verb::head;
            if (admin_path && role != ListenerRole::proxy_only) {
                const auto lease = state.snapshots.acquire();
                const auto response = co_await plane.admin.handle(request, *lease);
                net::serialize(response, worker.connections.http_date(), keep_alive, head, out);
            } else if (admin_path || role == ListenerRole::admin_only) {
                net::serialize(not_here(path, role), worker.connections.http_date(), keep_alive, head, out);
            } else {
                co_await plane.proxy.forward(worker, state, buffers, request, client_ip, keep_alive, out);
            }
        }
        // The answer may have taken a while: the client gets the full request timeout to take it.
        tracked.busy_for(plane.options.limits.request_timeout);
        auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
        if (write_ec || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    co_return net::SessionEnd::closed;
}

}  // namespace ringlb::balancer
