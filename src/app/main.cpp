// ringlb: the load balancer. Wires the options, the control plane with its replica driver, and
// the data plane's server together, and runs them until SIGTERM/SIGINT.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>

#include "app/listeners.hpp"
#include "common/log.hpp"
#include "config/balancer_options.hpp"
#include "config/descriptor_budget.hpp"
#include "config/replica_command.hpp"
#include "controlplane/control_plane.hpp"
#include "controlplane/process_metrics.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "controlplane/state_file.hpp"
#include "dataplane/balancer_session.hpp"
#include "dataplane/splice_relay.hpp"
#include "dataplane/tunnel.hpp"
#include "dataplane/upstream_batcher.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "dataplane/upstream_pool.hpp"
#include "drivers/docker/docker_driver.hpp"
#include "drivers/process/process_driver.hpp"
#include "drivers/process/supervisor.hpp"
#include "hashing/algorithm.hpp"
#include "net/http_probe.hpp"
#include "net/listener.hpp"
#include "net/server.hpp"
#include "net/termination_signals.hpp"
#include "net/url.hpp"
#include "net/worker_pool.hpp"

namespace {

using namespace ringlb;
namespace asio = boost::asio;

int run_healthcheck(const balancer::BalancerOptions& options) {
    const auto url = net::parse_http_url(*options.healthcheck_url);
    if (!url) {
        std::cerr << "ringlb: --healthcheck needs an http://HOST:PORT/PATH URL\n";
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

// ringlb-server beside this program, unless --replica-binary says otherwise.
std::string replica_binary(const balancer::BalancerOptions& options) {
    if (!options.replica_binary.empty()) {
        return options.replica_binary;
    }
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (ec ? std::filesystem::path("ringlb-server") : self.parent_path() / "ringlb-server")
        .string();
}

// The words of the replica command: --replica-command's, or ringlb-server's.
std::vector<std::string> replica_command(const balancer::BalancerOptions& options) {
    if (!options.replica_command.empty()) {
        return balancer::split_command(options.replica_command).words;  // checked at parse
    }
    const std::string binary = replica_binary(options);
    if (access(binary.c_str(), X_OK) != 0) {
        throw std::runtime_error("the replica program " + binary +
                                 " is not there or not executable (see --replica-binary)");
    }
    return {binary, "--id", "{id}", "--host", "{host}", "--port", "{port}", "--threads", "1"};
}

std::vector<std::string> own_environment() {
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        env.emplace_back(*entry);
    }
    return env;
}

std::unique_ptr<balancer::ReplicaDriver> make_driver(asio::io_context& control,
                                                     const balancer::BalancerOptions& options) {
    if (options.driver == "process") {
        drivers::ProcessDriverOptions process;
        process.command = replica_command(options);
        process.stop_timeout = options.replicas.stop_timeout;
        process.log_dir = options.replica_log_dir;
        process.environment = own_environment();
        return std::make_unique<drivers::ProcessDriver>(control, std::move(process));
    }
    drivers::DockerDriverOptions docker;
    docker.socket_path = options.docker.socket;
    docker.image = options.docker.image;
    docker.network = options.docker.network;
    docker.instance = options.docker.instance;
    docker.replica_port = options.docker.replica_port;
    docker.env = options.docker.env;
    docker.stop_grace = options.replicas.stop_timeout;
    return std::make_unique<drivers::DockerDriver>(control, std::move(docker));
}

// /add and /rm change what runs on this machine: say so when anyone who can reach the port
// may call them.
void warn_if_admin_is_open(const balancer::BalancerOptions& options,
                           const asio::ip::tcp::endpoint& admin) {
    if (options.admin.token.empty() && !admin.address().is_loopback()) {
        // Inside a container the address is the container's: whatever reaches the container's
        // networks (other containers on them, replicas included) can call /add and /rm, even
        // when the host publishes the port on 127.0.0.1 only.
        log::warn("admin_api_unprotected",
                  {{"address", net::to_string(admin)},
                   {"who_can_call",
                    "anything that reaches this address: other hosts, and in a "
                    "container every container on its networks"},
                   {"advice", "set --admin-token, or --admin-listen 127.0.0.1:PORT"}});
    }
}

log::Level parse_level(const std::string& name) {
    if (name == "debug") {
        return log::Level::debug;
    }
    if (name == "warn") {
        return log::Level::warn;
    }
    if (name == "error") {
        return log::Level::error;
    }
    return log::Level::info;
}

// Raises the open-files limit to its hard limit, then fits --max-connections to it
// (config/descriptor_budget.hpp): lowered and logged when it was a default, refused when given.
balancer::BalancerOptions fit_descriptors(balancer::BalancerOptions options) {
    const std::uint64_t limit = balancer::raise_open_files_limit();
    const auto plan = balancer::plan_descriptors(
        limit, {options.front.max_connections, options.front.max_connections_given, options.threads,
                options.replicas.max});
    if (plan.error) {
        throw std::runtime_error(*plan.error);
    }
    if (plan.lowered) {
        log::warn("max_connections_lowered", {{"from", options.front.max_connections},
                                              {"to", plan.max_connections},
                                              {"open_files_limit", limit},
                                              {"reserved", plan.reserved}});
        options.front.max_connections = plan.max_connections;
    }
    balancer::set_pipe_budget(plan.pipes);
    return options;
}

// Joins the control thread once its io_context is stopped, however run_balancer ends.
struct JoinControl {
    asio::io_context& ctx;
    std::thread& thread;
    ~JoinControl() {
        ctx.stop();
        thread.join();
    }
};

void create_state_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw std::runtime_error("cannot create --state-dir " + dir + ": " + ec.message());
    }
}

// What the nth SIGTERM/SIGINT does: the first drains, the second cuts every connection, any
// later one abandons whatever still runs.
struct Shutdown {
    balancer::ControlPlane& control_plane;
    app::Listeners& listeners;
    net::WorkerPool& pool;
    net::Clock::duration drain_timeout;
    std::atomic<bool> abandoned = false;
    int signals_seen = 0;

    void on_signal(int signo) {
        ++signals_seen;
        if (signals_seen == 1) {
            log::info("draining", {{"signal", signo}});
            control_plane.begin_shutdown();
            listeners.drain(drain_timeout);
        } else if (signals_seen == 2) {
            // Every connection is cut at the workers' next deadline tick, so their coroutines end
            // and the workers run out of work, as after a drain, only without waiting for answers.
            log::warn("stopping_now", {{"signal", signo}});
            listeners.drain(net::Clock::duration::zero());
        } else {
            // Abandons whatever still runs; the process exits right after the replicas stop.
            log::warn("abandoning_connections", {{"signal", signo}});
            abandoned = true;
            pool.stop();
        }
    }
};

// Starts the replicas. When that fails, replicas may have started, and the control thread may
// still run coroutines of the failed start that point at the objects destructors would free:
// stops every replica, then ends the process without running those destructors.
void start_or_exit(asio::io_context& control, balancer::ControlPlane& control_plane) {
    try {
        asio::co_spawn(control, control_plane.start(), asio::use_future).get();
    } catch (const std::exception& e) {
        log::error("start_failed", {{"error", e.what()}});
        asio::co_spawn(control, control_plane.stop_all(), asio::use_future).get();
        std::fprintf(stderr, "ringlb: %s\n", e.what());
        std::fflush(nullptr);
        std::_Exit(1);
    }
}

// What /metrics reports about the process itself.
balancer::ProcessMetrics process_metrics(const app::Listeners& listeners,
                                         const balancer::ControlPlane& control_plane) {
    balancer::ProcessMetrics m;
    listeners.count(m);
    m.upstream_connections = balancer::UpstreamConnectionCount::open();
    m.open_files = balancer::count_open_files();
    m.open_files_limit = balancer::open_files_limit();
    m.probe_local_failures = control_plane.probe_local_failures();
    m.connect_local_failures = balancer::upstream_local_failures();
    m.log_lines_lost = log::lost_lines();
    m.streamed_answers = balancer::streamed_answers();
    m.streams_cut = balancer::streams_cut();
    m.batched_requests = balancer::batched_requests();
    m.spliced_bytes = balancer::spliced_bytes();
    m.pipes_open = balancer::pipes_open();
    m.tunnels_open = balancer::tunnels_open();
    m.tunnels_total = balancer::tunnels_total();
    m.tunnel_bytes = balancer::tunnel_bytes();
    return m;
}

int run_balancer(const balancer::BalancerOptions& given) {
    log::set_min_level(parse_level(given.log_level));
    const balancer::BalancerOptions options = fit_descriptors(given);
    asio::io_context control(1);
    auto control_work = asio::make_work_guard(control);
    std::thread control_thread([&control] { control.run(); });
    const JoinControl join_control{control, control_thread};

    std::optional<balancer::StateDirLock> state_lock;  // one ringlb per --state-dir
    if (!options.state_dir.empty()) {
        create_state_dir(options.state_dir);
        state_lock.emplace(options.state_dir);
    }
    auto driver = make_driver(control, options);
    balancer::SnapshotStore snapshots;
    balancer::ControlPlane control_plane(control, options, *driver, snapshots, options.threads);

    net::WorkerPool pool(options.threads);
    std::random_device seed;
    balancer::DataPlane plane{
        options, balancer::Proxy(options), balancer::AdminApi(control_plane, options.admin), {}};
    plane.workers.reserve(options.threads);
    for (std::size_t i = 0; i < options.threads; ++i) {
        plane.workers.emplace_back(snapshots, options.proxy,
                                   (static_cast<std::uint64_t>(seed()) << 32U) | seed());
    }
    app::Listeners listeners(pool, plane, options);  // bound before any replica starts
    warn_if_admin_is_open(options, listeners.admin_endpoint());
    plane.admin.set_process_metrics(
        [&listeners, &control_plane] { return process_metrics(listeners, control_plane); });

    Shutdown shutdown{control_plane, listeners, pool, options.limits.drain_timeout};
    net::TerminationSignals signals(control, [&shutdown](int signo) { shutdown.on_signal(signo); });

    log::info("starting", {{"driver", driver->kind()},
                           {"replicas", options.replicas.initial},
                           {"hash", hashing::algorithm_name(options.hash.algorithm)},
                           {"threads", options.threads}});
    start_or_exit(control, control_plane);
    listeners.start();
    pool.run();

    log::info("stopping_replicas");
    asio::co_spawn(control, control_plane.stop_all(), asio::use_future).get();
    signals.cancel();
    log::info("stopped");
    if (shutdown.abandoned) {
        // The stopped workers still hold the coroutines of the connections they were serving,
        // which point at the servers' state; ending the process here, without destructors, keeps
        // those from running after the state they point at is gone.
        std::fflush(nullptr);
        std::_Exit(0);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && argv[1] == drivers::kSupervisorFlag) {
        return drivers::run_replica_supervisor(argc, argv);
    }
    // Before the options are read, which may log (max_replicas_lowered): a closed stderr must
    // cost that line, not the process. Not before the supervisor above, whose command would
    // inherit the ignored SIGPIPE.
    net::ignore_sigpipe();
    const auto parsed = balancer::parse_balancer_options(argc, argv);
    if (!parsed.options) {
        return parsed.exit_code;
    }
    try {
        if (parsed.options->healthcheck_url) {
            return run_healthcheck(*parsed.options);
        }
        return run_balancer(*parsed.options);
    } catch (const std::exception& e) {
        std::cerr << "ringlb: " << e.what() << "\n";
        return 1;
    }
}
