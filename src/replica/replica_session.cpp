#include "replica/replica_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/json_reply.hpp"

namespace ringlb::replica {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

bool is_disconnect(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::operation_aborted;
}

// The answer to a request that could not be read; the connection closes after it.
net::Response read_failure(const boost::system::error_code& ec) {
    if (ec == http::error::header_limit) {
        return {http::status::request_header_fields_too_large,
                net::json_reply("<Error> request headers too large", false)};
    }
    if (ec == http::error::body_limit) {
        return {http::status::payload_too_large,
                net::json_reply("<Error> request body too large", false)};
    }
    return {http::status::bad_request,
            net::json_reply("<Error> malformed request: " + ec.message(), false)};
}

}  // namespace

asio::awaitable<void> serve_connection(tcp::socket socket, net::WorkerContext& worker,
                                       const Endpoints& endpoints, const net::HttpLimits& limits) {
    net::TrackedConnection tracked(worker.connections, socket);
    beast::flat_buffer buffer;
    std::string out;
    for (;;) {
        if (worker.connections.draining()) {
            break;
        }
        tracked.idle_for(limits.idle_timeout);
        if (buffer.size() == 0) {
            // Waiting for readability first costs no syscall while idle; reading at once would
            // try a recv() that fails with EAGAIN on every keep-alive turn.
            auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, kUseTuple);
            if (ec) {
                break;
            }
        }
        tracked.busy_for(limits.request_timeout);
        http::request_parser<http::string_body> parser;
        parser.header_limit(limits.max_header_bytes);
        parser.body_limit(limits.max_body_bytes);
        auto [read_ec, read_bytes] = co_await http::async_read(socket, buffer, parser, kUseTuple);
        out.clear();
        bool keep_alive = false;
        if (read_ec) {
            if (is_disconnect(read_ec) || tracked.entry().timed_out) {
                break;
            }
            net::serialize(read_failure(read_ec), worker.connections.http_date(), false, false, out);
        } else {
            const auto& request = parser.get();
            keep_alive = request.keep_alive() && !worker.connections.draining();
            const auto response = endpoints.handle(request.method(), request.target());
            net::serialize(response, worker.connections.http_date(), keep_alive,
                           request.method() == http::verb::head, out);
        }
        auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
        if (write_ec || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace ringlb::replica
