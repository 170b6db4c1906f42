// ringlb-server: the replica. Wires options, the HTTP server and signals together.
#include <cstdio>
#include <exception>
#include <iostream>

#include "common/log.hpp"
#include "net/http_probe.hpp"
#include "net/listener.hpp"
#include "net/server.hpp"
#include "net/termination_signals.hpp"
#include "net/url.hpp"
#include "net/worker_pool.hpp"
#include "replica/endpoints.hpp"
#include "replica/replica_options.hpp"
#include "replica/replica_session.hpp"

namespace {

using namespace ringlb;

int run_healthcheck(const replica::ReplicaOptions& options) {
    const auto url = net::parse_http_url(*options.healthcheck_url);
    if (!url) {
        std::cerr << "ringlb-server: --healthcheck needs an http://HOST:PORT/PATH URL\n";
        return 2;
    }
    const auto result = net::probe_http_blocking(*url, options.healthcheck_timeout);
    if (!result.ok()) {
        std::cerr << "unhealthy: "
                  << (result.error ? result.error.message()
                                   : "status " + std::to_string(result.status))
                  << "\n";
        return 1;
    }
    return 0;
}

int run_server(const replica::ReplicaOptions& options) {
    const replica::Endpoints endpoints(options.server_id);
    net::WorkerPool pool(options.threads);
    net::Server server(pool, net::make_endpoint(options.host, options.port),
                       [&](net::Connection& connection, net::WorkerContext& worker) {
                           return replica::serve_connection(connection, worker, endpoints,
                                                            options.limits);
                       });
    server.start();

    int signals_seen = 0;
    net::TerminationSignals signals(pool.context(0), [&](int signo) {
        if (++signals_seen == 1) {
            log::info("draining", {{"signal", signo}});
            server.drain(options.limits.drain_timeout);
            signals.cancel();
        }
    });

    const std::string address = net::to_string(server.local_endpoint());
    std::printf("listening on %s\n", address.c_str());
    std::fflush(stdout);
    log::info("server_started",
              {{"id", options.server_id}, {"address", address}, {"threads", options.threads}});
    pool.run();
    log::info("server_stopped", {{"id", options.server_id}});
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = replica::parse_replica_options(argc, argv);
    if (!parsed.options) {
        return parsed.exit_code;
    }
    try {
        if (parsed.options->healthcheck_url) {
            return run_healthcheck(*parsed.options);
        }
        return run_server(*parsed.options);
    } catch (const std::exception& e) {
        std::cerr << "ringlb-server: " << e.what() << "\n";
        return 1;
    }
}
