#include "replica/replica_session.hpp"

#include "net/keep_alive_session.hpp"

namespace ringlb::replica {

boost::asio::awaitable<net::SessionEnd> serve_connection(net::Connection& connection,
                                                         net::WorkerContext& worker,
                                                         const Endpoints& endpoints,
                                                         const net::HttpLimits& limits) {
    auto answer = [&worker, &endpoints](const net::RequestHead& request, bool keep_alive,
                                        std::string& out) {
        net::serialize(endpoints.handle(request.method, request.path()),
                       worker.connections.http_date(), keep_alive,
                       request.method == boost::beast::http::verb::head, out);
        return keep_alive;
    };
    return net::serve_keep_alive(connection, worker, limits, {}, false, answer);
}

}  // namespace ringlb::replica
