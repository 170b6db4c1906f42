#include "drivers/process/process_driver.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"
#include "config/replica_command.hpp"
#include "drivers/process/free_port.hpp"
#include "drivers/process/replica_output.hpp"
#include "drivers/process/spawn.hpp"
#include "drivers/process/supervisor.hpp"
#include "net/listener.hpp"

namespace ringlb::drivers {

namespace asio = boost::asio;
using balancer::expand_placeholders;
using balancer::replica_environment;
using balancer::ReplicaPlaceholders;
using namespace asio::experimental::awaitable_operators;
using balancer::ReplicaAddress;
using balancer::ReplicaHandle;
using balancer::StartResult;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Exits of replicas remembered for gone(), oldest forgotten first.
constexpr std::size_t kRememberedExits = 256;

// What stop() adds to --stop-timeout before it kills a supervisor that has not exited: the
// supervisor itself gives the replica --stop-timeout, then kills it and waits for it.
constexpr std::chrono::seconds kSupervisorMargin{2};

std::string describe_status(int status) {
    if (WIFSIGNALED(status)) {
        return "signal " + std::to_string(WTERMSIG(status));
    }
    const int code = WEXITSTATUS(status);
    // The supervisor reports a command ended by signal N as 128 + N, as shells do.
    return code > 128 ? "signal " + std::to_string(code - 128) : "exit " + std::to_string(code);
}

}  // namespace

struct ProcessDriver::Child {
    Child(asio::io_context& ctx, ReplicaHandle h, std::string n, std::uint32_t id, pid_t p,
          int pidfd)
        : handle(std::move(h)),
          name(std::move(n)),
          server_id(id),
          pid(p),
          exit_watch(ctx, pidfd),
          exited_signal(ctx) {
        exited_signal.expires_at(asio::steady_timer::time_point::max());
    }

    ReplicaHandle handle;
    std::string name;
    std::uint32_t server_id;
    pid_t pid;  // the supervisor's
    std::uint16_t port = 0;
    asio::posix::stream_descriptor exit_watch;  // a pidfd: readable once the process has exited
    asio::steady_timer exited_signal;           // cancelled once the process has been reaped
    bool exited = false;
    bool stopping = false;
};

ProcessDriver::ProcessDriver(asio::io_context& control, ProcessDriverOptions options)
    : control_(control), options_(std::move(options)) {}

ProcessDriver::~ProcessDriver() {
    // Last resort (normally stop() has run for every child, and ringlb is exiting): SIGTERM, so
    // that each supervisor still ends its replica's whole process tree (within --stop-timeout)
    // before it exits; it would do the same once ringlb is gone.
    for (auto& [handle, child] : children_) {
        if (!child->exited) {
            kill(child->pid, SIGTERM);
        }
    }
}

int ProcessDriver::open_log_file(const std::string& name, std::string& error) const {
    const std::string path = options_.log_dir + "/" + name + ".log";
    const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        error = "open " + path + ": " + std::strerror(errno);
    }
    return fd;
}

asio::awaitable<StartResult> ProcessDriver::start(std::string name, std::uint32_t server_id) {
    std::set<std::uint16_t> taken;
    for (const auto& [handle, child] : children_) {
        taken.insert(child->port);
    }
    const auto port = pick_free_port(options_.host, taken);
    if (!port) {
        co_return StartResult{std::nullopt, "no free port on " + options_.host};
    }
    const ReplicaPlaceholders values{*port, options_.host, server_id, name};
    std::vector<std::string> argv{"ringlb-replica", std::string(kSupervisorFlag),
                                  std::to_string(options_.stop_timeout.count())};
    for (std::string& word : expand_placeholders(options_.command, values)) {
        argv.push_back(std::move(word));
    }
    std::string error;
    const int log_fd = options_.log_dir.empty() ? -1 : open_log_file(name, error);
    if (!options_.log_dir.empty() && log_fd < 0) {
        co_return StartResult{std::nullopt, error};
    }
    const SpawnedProcess spawned = spawn_process(
        options_.supervisor, argv, replica_environment(options_.environment, values), log_fd);
    if (log_fd >= 0) {
        close(log_fd);
    }
    if (spawned.pid < 0) {
        co_return StartResult{std::nullopt, spawned.error};
    }
    ReplicaHandle handle(std::to_string(++started_));
    auto child =
        std::make_shared<Child>(control_, handle, name, server_id, spawned.pid, spawned.pidfd);
    child->port = *port;
    children_.insert_or_assign(handle, child);
    asio::co_spawn(control_, watch(child), asio::detached);
    if (spawned.output_fd >= 0) {
        asio::co_spawn(
            control_,
            log_replica_output(asio::posix::stream_descriptor(control_, spawned.output_fd), name),
            asio::detached);
    }
    const auto endpoint = net::make_endpoint(options_.host, *port);
    log::info("replica_started", {{"name", name},
                                  {"id", server_id},
                                  {"address", net::to_string(endpoint)},
                                  {"pid", static_cast<std::int64_t>(spawned.pid)}});
    co_return StartResult{ReplicaAddress{handle, name, server_id, endpoint}, {}};
}

void ProcessDriver::remember_exit(const ReplicaHandle& handle, std::string how) {
    exits_.insert_or_assign(handle, std::move(how));
    exit_order_.push_back(handle);
    while (exit_order_.size() > kRememberedExits) {
        exits_.erase(exit_order_.front());
        exit_order_.pop_front();
    }
}

std::optional<std::string> ProcessDriver::gone(const ReplicaHandle& replica) const {
    const auto it = exits_.find(replica);
    if (it == exits_.end()) {
        return std::nullopt;
    }
    return it->second;
}

asio::awaitable<void> ProcessDriver::watch(std::shared_ptr<Child> child) {
    co_await child->exit_watch.async_wait(asio::posix::stream_descriptor::wait_read, kUseTuple);
    int status = 0;
    waitpid(child->pid, &status, 0);
    child->exited = true;
    child->exited_signal.cancel();
    children_.erase(child->handle);
    if (!child->stopping) {
        const std::string how = describe_status(status);
        log::warn("replica_exited", {{"name", child->name},
                                     {"id", child->server_id},
                                     {"pid", static_cast<std::int64_t>(child->pid)},
                                     {"status", how}});
        remember_exit(child->handle, how);
        report_exit(child->handle);
    }
}

asio::awaitable<void> ProcessDriver::stop(ReplicaHandle replica) {
    const auto it = children_.find(replica);
    if (it == children_.end()) {
        co_return;  // never started here, or already gone
    }
    auto child = it->second;
    child->stopping = true;
    kill(child->pid, SIGTERM);  // the supervisor ends every process of the replica, then exits
    asio::steady_timer grace(control_, options_.stop_timeout + kSupervisorMargin);
    const auto outcome =
        co_await (child->exited_signal.async_wait(kUseTuple) || grace.async_wait(kUseTuple));
    if (outcome.index() == 1 && !child->exited) {
        log::warn("replica_killed", {{"name", child->name},
                                     {"pid", static_cast<std::int64_t>(child->pid)},
                                     {"reason", "its supervisor did not exit in time"}});
        kill(-child->pid, SIGKILL);  // its process group: the supervisor and what stayed in it
        co_await child->exited_signal.async_wait(kUseTuple);
    }
}

asio::awaitable<std::vector<ReplicaAddress>> ProcessDriver::list() {
    // Replicas of a previous ringlb ended with it; there is nothing to adopt.
    co_return std::vector<ReplicaAddress>{};
}

}  // namespace ringlb::drivers
