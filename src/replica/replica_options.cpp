#include "replica/replica_options.hpp"

#include <CLI/CLI.hpp>

#include "common/cli_duration.hpp"
#include "common/version.hpp"
#include "net/http_limit_options.hpp"
#include "net/worker_pool.hpp"

namespace ringlb::replica {

ParsedReplicaOptions parse_replica_options(int argc, const char* const* argv) {
    ReplicaOptions options;
    CLI::App app{
        "ringlb-server: the replica behind ringlb. Answers GET /home with its server ID and\n"
        "GET /heartbeat with an empty 200; every other path is a 404."};
    app.set_version_flag("--version", build::version_text("ringlb-server"));
    app.get_formatter()->column_width(34);

    auto* id = app.add_option("--id", options.server_id, "Server ID reported by /home")
                   ->envname("SERVER_ID");
    app.add_option("--host", options.host, "Address to listen on")
        ->envname("RINGLB_SERVER_HOST")
        ->capture_default_str();
    app.add_option("--port", options.port,
                   "Port to listen on; 0 lets the kernel pick, and the chosen address is printed\n"
                   "as 'listening on HOST:PORT' on stdout")
        ->envname("RINGLB_SERVER_PORT")
        ->capture_default_str();
    app.add_option("--threads", options.threads, "Worker threads (default: one per core)")
        ->envname("RINGLB_SERVER_THREADS")
        ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
    net::add_http_limit_options(
        app, options.limits, "RINGLB_SERVER_",
        {.idle_timeout = "Close keep-alive connections idle this long",
         .request_timeout = "Time a client has to send a request and take the answer",
         .drain_timeout =
             "On SIGTERM/SIGINT, time in-flight requests get before connections are cut"});
    auto* healthcheck =
        app.add_option("--healthcheck", options.healthcheck_url,
                       "Probe mode: GET this URL (e.g. http://127.0.0.1:5000/heartbeat), exit 0\n"
                       "on a 2xx answer and 1 otherwise; for images without a shell");
    net::add_duration_option(app, "--healthcheck-timeout", options.healthcheck_timeout,
                             "Time limit of the probe", "RINGLB_SERVER_HEALTHCHECK_TIMEOUT");

    try {
        app.parse(argc, argv);
        if (id->count() == 0 && healthcheck->count() == 0) {
            throw CLI::RequiredError("a server ID (--id or the SERVER_ID environment variable)");
        }
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    if (options.threads == 0) {
        options.threads = net::default_thread_count();
    }
    return {options, 0};
}

}  // namespace ringlb::replica
