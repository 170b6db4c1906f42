#include "replica/replica_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "net/json_reply.hpp"
#include "net/request_reader.hpp"

namespace ringlb::replica {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

asio::awaitable<net::SessionEnd> serve_connection(net::Connection& connection, net::WorkerContext& worker,
                                                  const Endpoints& endpoints, const net::HttpLimits& limits) {
    tcp::socket& socket = connection.socket;
    net::TrackedConnection& tracked = connection.tracked;
    beast::flat_buffer buffer;
    net::RequestHead request;
    std::string out;
    while (!worker.connections.draining()) {
        net::RequestParser parser(request, {});
        const auto read_ec = co_await net::read_request(socket, buffer, parser, tracked, limits);
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
        } else {
            keep_alive = parser.keep_alive() && !worker.connections.draining();
            const auto response = endpoints.handle(request.method, request.target);
            net::serialize(response, worker.connections.http_date(), keep_alive,
                           request.method == http::verb::head, out);
        }
        auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
        if (write_ec || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    co_return net::SessionEnd::closed;
}

}  // namespace ringlb::replica
