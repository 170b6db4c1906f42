#include "drivers/process/process_driver.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <regex>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"
#include "net/listener.hpp"

namespace ringlb::drivers {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using balancer::ReplicaAddress;
using balancer::ReplicaHandle;
using balancer::StartResult;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

struct Spawned {
    pid_t pid = -1;
    int stdout_fd = -1;
    std::string error;
};

// fork + exec with the child's stdout on a pipe. Between fork and exec the child (a copy of a
// multi-threaded process) only makes async-signal-safe calls.
Spawned spawn_child(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const std::string& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return {-1, -1, std::string("pipe: ") + std::strerror(errno)};
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        const int saved = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return {-1, -1, std::string("fork: ") + std::strerror(saved)};
    }
    if (pid == 0) {
        // Die with ringlb, even when it is killed with SIGKILL: no orphaned replicas.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        // A process group of its own: Ctrl-C in ringlb's terminal signals ringlb only, which
        // then stops its replicas in order, instead of every replica dying at once and being
        // replaced on the way out.
        setpgid(0, 0);
        dup2(pipe_fds[1], STDOUT_FILENO);
        const int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
        }
        close_range(3, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    return {pid, pipe_fds[0], {}};
}

std::optional<boost::asio::ip::tcp::endpoint> parse_listening_line(const std::string& text) {
    static const std::regex kListening(R"(listening on (\S+):(\d+))");
    std::smatch match;
    if (!std::regex_search(text, match, kListening)) {
        return std::nullopt;
    }
    try {
        return net::make_endpoint(match[1].str(),
                                  static_cast<std::uint16_t>(std::stoul(match[2].str())));
    } catch (const std::exception&) {
        return std::nullopt;
    }
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
    pid_t pid;
    boost::asio::ip::tcp::endpoint endpoint;
    asio::posix::stream_descriptor exit_watch;  // a pidfd: readable once the process has exited
    asio::steady_timer exited_signal;           // cancelled once the process has been reaped
    bool exited = false;
    bool stopping = false;
};

ProcessDriver::ProcessDriver(asio::io_context& control, ProcessDriverOptions options)
    : control_(control), options_(std::move(options)) {}

ProcessDriver::~ProcessDriver() {
    // Last resort (normally stop() has run for every child): never leave a replica behind.
    for (auto& [handle, child] : children_) {
        if (!child->exited) {
            kill(child->pid, SIGKILL);
            waitpid(child->pid, nullptr, 0);
        }
    }
}

asio::awaitable<StartResult> ProcessDriver::start(std::string name, std::uint32_t server_id) {
    const Spawned spawned = spawn_child({options_.binary, "--id", std::to_string(server_id),
                                         "--host", options_.host, "--port", "0", "--threads", "1"});
    if (spawned.pid < 0) {
        co_return StartResult{std::nullopt, spawned.error};
    }
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, spawned.pid, 0));
    if (pidfd < 0) {
        const int saved = errno;
        kill(spawned.pid, SIGKILL);
        waitpid(spawned.pid, nullptr, 0);
        close(spawned.stdout_fd);
        co_return StartResult{std::nullopt, std::string("pidfd_open: ") + std::strerror(saved)};
    }
    ReplicaHandle handle(std::to_string(++started_));
    auto child = std::make_shared<Child>(control_, handle, name, server_id, spawned.pid, pidfd);
    children_.insert_or_assign(handle, child);
    asio::co_spawn(control_, watch(child), asio::detached);

    asio::posix::stream_descriptor output(control_, spawned.stdout_fd);
    std::string line;
    asio::steady_timer deadline(control_, options_.start_timeout);
    auto outcome =
        co_await (asio::async_read_until(output, asio::dynamic_buffer(line), '\n', kUseTuple) ||
                  deadline.async_wait(kUseTuple));
    const auto endpoint = parse_listening_line(line);
    if (outcome.index() != 0 || !endpoint) {
        co_await stop(handle);
        co_return StartResult{std::nullopt,
                              outcome.index() != 0
                                  ? "no address announced within " +
                                        std::to_string(options_.start_timeout.count()) + "ms"
                                  : "exited before announcing its address"};
    }
    child->endpoint = *endpoint;
    log::info("replica_started", {{"name", name},
                                  {"id", server_id},
                                  {"address", net::to_string(*endpoint)},
                                  {"pid", static_cast<std::int64_t>(spawned.pid)}});
    co_return StartResult{ReplicaAddress{handle, name, server_id, *endpoint}, {}};
}

asio::awaitable<void> ProcessDriver::watch(std::shared_ptr<Child> child) {
    co_await child->exit_watch.async_wait(asio::posix::stream_descriptor::wait_read, kUseTuple);
    int status = 0;
    waitpid(child->pid, &status, 0);
    child->exited = true;
    child->exited_signal.cancel();
    children_.erase(child->handle);
    if (!child->stopping) {
        log::warn(
            "replica_exited",
            {{"name", child->name},
             {"id", child->server_id},
             {"pid", static_cast<std::int64_t>(child->pid)},
             {"status", WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                            : "exit " + std::to_string(WEXITSTATUS(status))}});
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
    kill(child->pid, SIGTERM);
    asio::steady_timer grace(control_, options_.stop_timeout);
    const auto outcome =
        co_await (child->exited_signal.async_wait(kUseTuple) || grace.async_wait(kUseTuple));
    if (outcome.index() == 1 && !child->exited) {
        log::warn("replica_killed", {{"name", child->name},
                                     {"pid", static_cast<std::int64_t>(child->pid)},
                                     {"reason", "no exit within the stop timeout"}});
        kill(child->pid, SIGKILL);
        co_await child->exited_signal.async_wait(kUseTuple);
    }
}

asio::awaitable<std::vector<ReplicaAddress>> ProcessDriver::list() {
    // Children of a previous ringlb died with it; there is nothing to adopt.
    co_return std::vector<ReplicaAddress>{};
}

}  // namespace ringlb::drivers
