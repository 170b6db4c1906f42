#include "app/listeners.hpp"

#include <cstdio>
#include <string>

#include "common/json_reply.hpp"
#include "common/log.hpp"
#include "net/listener.hpp"

namespace ringlb::app {

namespace {

using balancer::ListenerRole;

// What a client past --max-connections gets before its connection is closed.
std::string connection_refusal() {
    const std::string body =
        net::json_reply("<Error> too many connections, try again later", false);
    std::string refusal =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ";
    refusal += std::to_string(body.size());
    refusal += "\r\nConnection: close\r\n\r\n";
    refusal += body;
    return refusal;
}

net::Server::Session serving(balancer::DataPlane& plane, ListenerRole role) {
    return [&plane, role](net::Connection& connection, net::WorkerContext& worker) {
        return balancer::serve_client(connection, worker, plane, role);
    };
}

}  // namespace

Listeners::Listeners(net::WorkerPool& pool, balancer::DataPlane& plane,
                     const balancer::BalancerOptions& options)
    : clients_(pool, net::make_endpoint(options.host, options.port),
               serving(plane,
                       options.admin.listen ? ListenerRole::proxy_only : ListenerRole::everything),
               {options.front.max_connections, connection_refusal()}) {
    if (options.admin.listen) {
        admin_.emplace(pool, *net::parse_host_port(*options.admin.listen),
                       serving(plane, ListenerRole::admin_only),
                       net::ConnectionLimit{options.front.max_connections, connection_refusal()});
    }
}

const boost::asio::ip::tcp::endpoint& Listeners::admin_endpoint() const {
    return admin_ ? admin_->local_endpoint() : clients_.local_endpoint();
}

void Listeners::start() {
    clients_.start();
    if (admin_) {
        admin_->start();
        log::info("admin_listening", {{"address", net::to_string(admin_->local_endpoint())}});
    }
    const std::string address = net::to_string(clients_.local_endpoint());
    std::printf("listening on %s\n", address.c_str());
    std::fflush(stdout);
    log::info("listening", {{"address", address}});
}

void Listeners::drain(net::Clock::duration grace) {
    clients_.drain(grace);
    if (admin_) {
        admin_->drain(grace);
    }
}

void Listeners::count(balancer::ProcessMetrics& metrics) const {
    for (const net::Server* s : {&clients_, admin_ ? &*admin_ : nullptr}) {
        if (s != nullptr) {
            metrics.client_connections += s->open_connections();
            metrics.refused_over_limit += s->refused_connections();
            metrics.refused_no_descriptor += s->refused_for_descriptors();
            metrics.out_of_descriptors = metrics.out_of_descriptors || s->out_of_descriptors();
        }
    }
}

}  // namespace ringlb::app
