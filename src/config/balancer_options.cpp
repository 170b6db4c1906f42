#include "config/balancer_options.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>
#include <utility>

#include <CLI/CLI.hpp>

#include "common/cli_duration.hpp"
#include "common/log.hpp"
#include "common/version.hpp"
#include "config/docker_replica_options.hpp"
#include "config/process_options.hpp"
#include "hashing/algorithm.hpp"
#include "hashing/capacity.hpp"
#include "net/http_limit_options.hpp"
#include "net/listener.hpp"
#include "net/worker_pool.hpp"

namespace ringlb::balancer {

namespace {

// Adds a flag whose text is turned into a value by `parse` (a hashing::Parsed<T> producer).
template <class T, class Parse>
CLI::Option* add_parsed(CLI::App& app, const std::string& name, T& target, Parse parse,
                        const std::string& help, const std::string& env,
                        const std::string& default_text) {
    return app
        .add_option_function<std::string>(
            name,
            [&target, parse, name](const std::string& text) {
                const auto parsed = parse(text);
                if (!parsed.ok()) {
                    throw CLI::ValidationError(name, parsed.error());
                }
                target = parsed.value();
            },
            help)
        ->envname(env)
        ->default_str(default_text);
}

void add_listen_options(CLI::App& app, BalancerOptions& o) {
    app.add_option("--host", o.host, "Address to listen on")
        ->envname("RINGLB_HOST")
        ->capture_default_str();
    app.add_option("--port", o.port,
                   "Port to listen on; 0 lets the kernel pick. Once serving, ringlb prints\n"
                   "'listening on HOST:PORT' on stdout")
        ->envname("RINGLB_PORT")
        ->capture_default_str();
    app.add_option("--threads", o.threads,
                   "Worker threads for the data plane (default: one per core)")
        ->envname("RINGLB_THREADS")
        ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
}

void add_replica_options(CLI::App& app, BalancerOptions& o) {
    app.add_option("--replicas", o.replicas.initial, "Replicas to keep alive from the start (N)")
        ->envname("RINGLB_REPLICAS")
        ->check(CLI::Range(0U, 10'000U))
        ->capture_default_str();
    app.add_option("--max-replicas", o.replicas.max, "Most replicas /add may bring the total to")
        ->envname("RINGLB_MAX_REPLICAS")
        ->check(CLI::Range(1U, 10'000U))
        ->capture_default_str();
    app.add_option("--driver", o.driver,
                   "How replicas are run: process (local processes: ringlb-server, "
                   "or\n--replica-command) or docker")
        ->envname("RINGLB_DRIVER")
        ->check(CLI::IsMember({"process", "docker"}))
        ->capture_default_str();
    app.add_option("--replica-binary", o.replica_binary,
                   "process driver: the ringlb-server program (default: the one beside ringlb)")
        ->envname("RINGLB_REPLICA_BINARY");
    app.add_option("--docker-socket", o.docker.socket, "docker driver: the Docker daemon's socket")
        ->envname("RINGLB_DOCKER_SOCKET")
        ->capture_default_str();
    app.add_option("--docker-image", o.docker.image, "docker driver: the replica image")
        ->envname("RINGLB_DOCKER_IMAGE")
        ->capture_default_str();
    app.add_option("--docker-network", o.docker.network, "docker driver: the network replicas join")
        ->envname("RINGLB_DOCKER_NETWORK")
        ->capture_default_str();
    app.add_option("--docker-instance", o.docker.instance,
                   "docker driver: label value marking this load balancer's containers")
        ->envname("RINGLB_DOCKER_INSTANCE")
        ->capture_default_str();
    add_docker_replica_options(app, o.docker);
    net::add_duration_option(app, "--start-timeout", o.replicas.start_timeout,
                             "Time a new replica has to start and pass its first heartbeat",
                             "RINGLB_START_TIMEOUT");
    net::add_duration_option(app, "--stop-timeout", o.replicas.stop_timeout,
                             "Time a stopped replica gets to exit before it is killed; 0s: "
                             "killed at once",
                             "RINGLB_STOP_TIMEOUT");
    net::add_duration_option(app, "--respawn-backoff-max", o.replicas.backoff_max,
                             "Longest wait between respawns of a replica that keeps dying "
                             "(starts at 100ms, doubles)",
                             "RINGLB_RESPAWN_BACKOFF_MAX");
}

void add_hash_options(CLI::App& app, BalancerOptions& o) {
    add_parsed(app, "--hash", o.hash.algorithm, hashing::parse_algorithm,
               "Hash algorithm: classic (the assignment's map), ring, maglev, maglev-incremental,\n"
               "or default (" +
                   std::string(hashing::algorithm_name(hashing::kDefaultAlgorithm)) + ")",
               "RINGLB_HASH", "default");
    app.add_option("--hash-slots", o.hash.classic.slots, "classic: slots in the map (M)")
        ->envname("RINGLB_HASH_SLOTS")
        ->capture_default_str();
    app.add_option("--hash-virtual-servers", o.hash.classic.virtual_servers,
                   "classic: virtual servers per replica (K)")
        ->envname("RINGLB_HASH_VIRTUAL_SERVERS")
        ->capture_default_str();
    add_parsed(app, "--hash-functions", o.hash.classic.functions, hashing::parse_classic_functions,
               "classic: the H and Phi pair: assignment, splitmix or xxh3", "RINGLB_HASH_FUNCTIONS",
               "assignment");
    add_parsed(app, "--hash-probing", o.hash.classic.probing, hashing::parse_probing,
               "classic: collision probing: linear or quadratic", "RINGLB_HASH_PROBING", "linear");
    app.add_option("--ring-vnodes", o.hash.ring.virtual_nodes, "ring: virtual nodes per replica")
        ->envname("RINGLB_RING_VNODES")
        ->capture_default_str();
    app.add_option("--maglev-size", o.hash.maglev.table_size, "maglev: lookup table size (a prime)")
        ->envname("RINGLB_MAGLEV_SIZE")
        ->capture_default_str();
    add_parsed(app, "--bounded-load", o.hash.bounded_load.epsilon, hashing::parse_bounded_load,
               "Cap each replica's in-flight requests at (1+EPS) x the mean: off or EPS > 0",
               "RINGLB_BOUNDED_LOAD", "off");
    app.add_option_function<std::string>(
           "--hash-key",
           [&o](const std::string& text) {
               const auto policy = parse_key_policy(text);
               if (!policy) {
                   throw CLI::ValidationError("--hash-key",
                                              "'" + text +
                                                  "' is not one of auto, random, header:NAME, "
                                                  "cookie:NAME, path, client-ip");
               }
               o.key_policy = *policy;
           },
           "Where a request's key comes from: auto (X-Request-Id, else random), random,\n"
           "header:NAME, cookie:NAME, path, client-ip")
        ->envname("RINGLB_HASH_KEY")
        ->default_str("auto");
}

void add_health_options(CLI::App& app, BalancerOptions& o) {
    net::add_duration_option(app, "--heartbeat-interval", o.health.interval,
                             "Time between heartbeat probes of a replica",
                             "RINGLB_HEARTBEAT_INTERVAL");
    net::add_duration_option(app, "--heartbeat-timeout", o.health.timeout,
                             "Time limit of one heartbeat probe; at most 4 x --heartbeat-interval",
                             "RINGLB_HEARTBEAT_TIMEOUT");
    app.add_option("--heartbeat-fall", o.health.thresholds.fall,
                   "Failed probes in a row that mark a replica down")
        ->envname("RINGLB_HEARTBEAT_FALL")
        ->check(CLI::Range(1U, 100U))
        ->capture_default_str();
    app.add_option("--heartbeat-rise", o.health.thresholds.rise,
                   "Passed probes in a row that mark a replica up")
        ->envname("RINGLB_HEARTBEAT_RISE")
        ->check(CLI::Range(1U, 100U))
        ->capture_default_str();
}

void add_proxy_options(CLI::App& app, BalancerOptions& o) {
    net::add_duration_option(app, "--connect-timeout", o.proxy.connect_timeout,
                             "Time limit to connect to a replica", "RINGLB_CONNECT_TIMEOUT");
    net::add_duration_option(app, "--response-timeout", o.proxy.response_timeout,
                             "Time limit for a replica's answer head (for a small answer, read "
                             "whole, its body too)",
                             "RINGLB_RESPONSE_TIMEOUT");
    net::add_duration_option(app, "--stream-idle-timeout", o.proxy.stream_idle_timeout,
                             "Time limit between two pieces of a streamed answer (a large or "
                             "unframed body, an event stream): long transfers and quiet streams "
                             "live on, dead ones are cut",
                             "RINGLB_STREAM_IDLE_TIMEOUT");
    app.add_option("--failover-attempts", o.proxy.failover_attempts,
                   "Replicas tried for one idempotent request before answering 502")
        ->envname("RINGLB_FAILOVER_ATTEMPTS")
        ->check(CLI::Range(1U, 16U))
        ->capture_default_str();
    app.add_option(
           "--upstream-batch", o.proxy.upstream_batch,
           "Most requests for one replica that arrive together and are sent together on one "
           "connection (pipelined; idempotent methods only); 1 sends each on its own")
        ->envname("RINGLB_UPSTREAM_BATCH")
        ->check(CLI::Range(1U, 256U))
        ->capture_default_str();
    net::add_duration_option(app, "--upstream-batch-quick", o.proxy.upstream_batch_quick,
                             "A request joins a batch only when its route (method and path) on "
                             "that replica answered each of its last 32 requests within this; "
                             "others go alone, so quick requests never wait behind slow ones. "
                             "0ms: nothing is batched",
                             "RINGLB_UPSTREAM_BATCH_QUICK");
    app.add_option("--max-response-bytes", o.proxy.max_response_bytes,
                   "Largest answer body passed on; 0 for no limit (bodies stream, in fixed "
                   "buffers, whatever their size)")
        ->envname("RINGLB_MAX_RESPONSE_BYTES")
        ->capture_default_str();
    net::add_http_limit_options(
        app, o.limits, "RINGLB_",
        {.idle_timeout = "Close client keep-alive connections idle this long",
         .request_timeout = "Time a client has to send a whole request (slow clients are cut)",
         .drain_timeout = "On SIGTERM/SIGINT, time in-flight requests get to finish; 0s: "
                          "cut at once"});
}

void add_admin_options(CLI::App& app, BalancerOptions& o) {
    app.add_option("--admin-token", o.admin.token,
                   "Require 'Authorization: Bearer TOKEN' on /add and /rm (prefer the environment\n"
                   "twin: command lines are visible to every local user)")
        ->envname("RINGLB_ADMIN_TOKEN");
    app.add_flag("--admin-token-metrics", o.admin.token_for_metrics,
                 "Require the token on /metrics too")
        ->envname("RINGLB_ADMIN_TOKEN_METRICS");
    app.add_option("--admin-listen", o.admin.listen,
                   "Serve /rep, /add, /rm and /metrics on this HOST:PORT (e.g. 127.0.0.1:5001)\n"
                   "instead of the main port")
        ->envname("RINGLB_ADMIN_LISTEN");
    app.add_option("--max-admin-body-bytes", o.admin.max_body_bytes,
                   "Largest /add or /rm payload (413 past it)")
        ->envname("RINGLB_MAX_ADMIN_BODY_BYTES")
        ->check(CLI::Range(std::uint64_t{16}, std::uint64_t{16} * 1024 * 1024))
        ->capture_default_str();
    app.add_option(
           "--max-connections", o.front.max_connections,
           "Client connections at once; past it new ones get a 503 and are closed (0: no "
           "limit). Checked at start against the descriptor limit (raised to the hard one): the "
           "default is lowered to fit, a value given that does not fit stops the start")
        ->envname("RINGLB_MAX_CONNECTIONS")
        ->capture_default_str();
    app.add_option("--max-url-bytes", o.front.max_url_bytes, "Longest request target (414 past it)")
        ->envname("RINGLB_MAX_URL_BYTES")
        ->check(CLI::Range(std::size_t{16}, std::size_t{1024} * 1024))
        ->capture_default_str();
    app.add_option("--state-dir", o.state_dir,
                   "Keep the membership (names, server IDs; the table for maglev-incremental) in\n"
                   "DIR/state.json, so a restarted ringlb brings the same replicas back; a saved\n"
                   "membership replaces --replicas. One ringlb per DIR (it holds DIR/lock)")
        ->envname("RINGLB_STATE_DIR");
}

// What --help says after the flags: the rules check_positive_durations and the others enforce.
constexpr const char* kStartChecks =
    "Durations take a unit: 250ms, 2s, 1m. Every timeout and interval must be more than 0,\n"
    "except --drain-timeout and --stop-timeout (0s: no grace) and --upstream-batch-quick.\n"
    "Bad values stop ringlb at start with one line naming the flag. A replica program that\n"
    "exits at once is not refused: ringlb runs, logs replica_start_failed and retries it\n"
    "with back-off (100ms doubling to --respawn-backoff-max).";

// A probe that has not answered within its timeout is abandoned; more than this many probes of one
// replica would be outstanding at once if the timeout were longer.
constexpr std::int64_t kMaxProbesInFlight = 4;

// Zero or negative here would make ringlb misbehave (replicas replaced forever, every request
// timing out), so it refuses to start. --drain-timeout and --stop-timeout may be zero: no grace.
void check_positive_durations(const BalancerOptions& o) {
    const std::pair<const char*, Millis> durations[] = {
        {"--heartbeat-interval", o.health.interval},
        {"--heartbeat-timeout", o.health.timeout},
        {"--start-timeout", o.replicas.start_timeout},
        {"--connect-timeout", o.proxy.connect_timeout},
        {"--response-timeout", o.proxy.response_timeout},
        {"--stream-idle-timeout", o.proxy.stream_idle_timeout},
        {"--idle-timeout", o.limits.idle_timeout},
        {"--request-timeout", o.limits.request_timeout},
        {"--respawn-backoff-max", o.replicas.backoff_max}};
    for (const auto& [flag, value] : durations) {
        if (value <= Millis::zero()) {
            throw CLI::ValidationError(flag, "must be more than 0");
        }
    }
    if (o.replicas.backoff_max < o.replicas.backoff_min) {
        throw CLI::ValidationError(
            "--respawn-backoff-max",
            "must be at least " + net::format_duration(o.replicas.backoff_min));
    }
}

// The hash table must hold every replica /add may ask for. When --max-replicas was not given,
// it is lowered to what the table holds (and said so); when it was, a value that does not fit
// is refused.
void fit_max_replicas(BalancerOptions& o, bool given) {
    const std::uint32_t capacity = hashing::member_capacity(o.hash, o.replicas.max);
    if (capacity >= o.replicas.max) {
        return;
    }
    const std::string why = "--hash " + std::string(hashing::algorithm_name(o.hash.algorithm)) +
                            " with these parameters holds at most " + std::to_string(capacity) +
                            " replicas";
    if (given || capacity == 0) {
        throw CLI::ValidationError("--max-replicas",
                                   std::to_string(o.replicas.max) + " does not fit: " + why);
    }
    log::warn("max_replicas_lowered", {{"from", o.replicas.max}, {"to", capacity}, {"why", why}});
    o.replicas.max = capacity;
}

// Paths the chosen driver needs, checked now rather than at the first replica start.
void check_driver_paths(const BalancerOptions& o) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (o.driver == "docker" && !fs::is_socket(o.docker.socket, ec)) {
        throw CLI::ValidationError(
            "--docker-socket",
            "'" + o.docker.socket + "' is not a socket (is the Docker engine running?)");
    }
    if (o.driver == "process" && !o.replica_binary.empty() &&
        (!fs::is_regular_file(o.replica_binary, ec) ||
         ::access(o.replica_binary.c_str(), X_OK) != 0)) {
        throw CLI::ValidationError("--replica-binary",
                                   "'" + o.replica_binary + "' is not an executable file");
    }
}

}  // namespace

ParsedBalancerOptions parse_balancer_options(int argc, const char* const* argv) {
    BalancerOptions o;
    CLI::App app{
        "ringlb: a consistent-hashing HTTP load balancer that keeps N replicas alive.\n"
        "Routes every request to the replica the hash ring names for its key; /rep, /add\n"
        "and /rm manage the replicas, /metrics reports in Prometheus text. Every flag has\n"
        "an environment twin, shown in brackets."};
    app.set_version_flag("--version", build::version_text("ringlb"));
    app.get_formatter()->column_width(36);
    app.footer(kStartChecks);
    add_listen_options(app, o);
    add_replica_options(app, o);
    add_replica_command_options(app, o);
    add_hash_options(app, o);
    add_health_options(app, o);
    add_proxy_options(app, o);
    add_admin_options(app, o);
    app.add_option("--log-level", o.log_level, "debug, info, warn or error")
        ->envname("RINGLB_LOG_LEVEL")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
        ->capture_default_str();
    app.add_option("--healthcheck", o.healthcheck_url,
                   "Probe mode: GET this URL (e.g. http://127.0.0.1:5000/rep), exit 0 on 2xx, 1\n"
                   "otherwise; for images without a shell");
    try {
        app.parse(argc, argv);
        if (const auto problem = hashing::validate(o.hash)) {
            throw CLI::ValidationError("--hash", *problem);
        }
        if (o.admin.listen && !net::parse_host_port(*o.admin.listen)) {
            throw CLI::ValidationError(
                "--admin-listen", "'" + *o.admin.listen + "' is not HOST:PORT with a numeric host");
        }
        check_positive_durations(o);
        fit_max_replicas(o, app.count("--max-replicas") > 0);
        o.front.max_connections_given = app.count("--max-connections") > 0;
        if (o.replicas.initial > o.replicas.max) {
            throw CLI::ValidationError(
                "--replicas", "more than --max-replicas (" + std::to_string(o.replicas.max) + ")");
        }
        if (o.health.timeout > o.health.interval * kMaxProbesInFlight) {
            throw CLI::ValidationError("--heartbeat-timeout",
                                       net::format_duration(o.health.timeout) + " is more than " +
                                           std::to_string(kMaxProbesInFlight) +
                                           " x --heartbeat-interval (" +
                                           net::format_duration(o.health.interval) +
                                           "): lower it or raise --heartbeat-interval");
        }
        check_driver_paths(o);
        check_replica_command_options(o);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    if (o.threads == 0) {
        o.threads = net::default_thread_count();
    }
    return {o, 0};
}

}  // namespace ringlb::balancer
