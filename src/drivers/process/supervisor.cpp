#include "drivers/process/supervisor.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drivers/process/process_tree.hpp"

namespace ringlb::drivers {

namespace {

using Clock = std::chrono::steady_clock;

// After SIGKILL, the longest the supervisor waits for the processes to be gone before it gives
// up on them (a process in uninterruptible sleep dies only when its I/O returns).
constexpr std::chrono::seconds kKillWait{5};

sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
        sigaddset(&set, sig);
    }
    return set;
}

// Waits up to `timeout` for one of the handled signals; returns it, or 0 when none came.
int wait_signal(const sigset_t& set, std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    const timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1'000'000)};
    siginfo_t info;
    const int sig = sigtimedwait(&set, &info, &ts);
    return sig > 0 ? sig : 0;
}

// Reaps every exited child (descendants that lost their parent are ours too); records the
// command's status when it is among them.
void reap(pid_t command, bool& command_done, int& command_status) {
    int status = 0;
    pid_t pid = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == command) {
            command_done = true;
            command_status = status;
        }
    }
}

pid_t start_command(char** argv, const sigset_t& blocked) {
    const pid_t supervisor = getpid();
    const pid_t pid = fork();
    if (pid != 0) {
        return pid;  // the supervisor, or -1
    }
    // The command dies with its supervisor: if the supervisor is killed outright, the command
    // does not stay behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != supervisor) {
        _exit(127);
    }
    sigprocmask(SIG_UNBLOCK, &blocked, nullptr);
    execvp(argv[0], argv);
    std::fprintf(stderr, "ringlb: cannot run '%s': %s\n", argv[0], std::strerror(errno));
    _exit(127);
}

// Sends `sig` to every process below this one that has not had it yet. A stopped process
// (SIGSTOP) is not continued: it is hung, and gets SIGKILL once the grace period is over.
void signal_tree(int sig, std::set<pid_t>& signalled) {
    for (const pid_t pid : descendants(read_parent_map(), getpid())) {
        if (signalled.insert(pid).second) {
            kill(pid, sig);
        }
    }
}

bool tree_is_empty() {
    return descendants(read_parent_map(), getpid()).empty();
}

// SIGTERM to every process of the replica, SIGKILL to those left after the grace period.
void end_tree(std::chrono::milliseconds grace, const sigset_t& set, pid_t command,
              bool& command_done, int& command_status) {
    std::set<pid_t> termed;
    const auto kill_at = Clock::now() + grace;
    while (Clock::now() < kill_at) {
        reap(command, command_done, command_status);
        if (tree_is_empty()) {
            reap(command, command_done, command_status);  // one that exited since the last reap
            return;
        }
        signal_tree(SIGTERM, termed);  // again each round: processes started meanwhile
        wait_signal(set, std::chrono::milliseconds(20));
    }
    const auto give_up_at = Clock::now() + kKillWait;
    while (Clock::now() < give_up_at) {
        reap(command, command_done, command_status);
        if (tree_is_empty()) {
            reap(command, command_done, command_status);
            return;
        }
        std::set<pid_t> killed;  // every round: a SIGKILL cannot be ignored, but is cheap
        signal_tree(SIGKILL, killed);
        wait_signal(set, std::chrono::milliseconds(20));
    }
    std::fprintf(stderr, "ringlb: replica processes still present %lld s after SIGKILL\n",
                 static_cast<long long>(kKillWait.count()));
}

int exit_code(bool command_done, int status) {
    if (!command_done) {
        return 128 + SIGKILL;  // it outlived every signal; say it was killed
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

}  // namespace

int run_replica_supervisor(int argc, char** argv) {
    long grace_ms = 0;
    if (argc < 4 ||
        std::from_chars(argv[2], argv[2] + std::strlen(argv[2]), grace_ms).ec != std::errc{}) {
        std::fprintf(stderr, "usage: ringlb %s STOP_TIMEOUT_MS COMMAND [ARGS...]\n",
                     kSupervisorFlag.data());
        return 2;
    }
    prctl(PR_SET_NAME, "ringlb-replica");  // what ps and top show, instead of "exe"
    const sigset_t set = handled_signals();
    sigprocmask(SIG_BLOCK, &set, nullptr);
    // ringlb set SIGTERM as this process's parent-death signal before exec (it survives exec);
    // becoming the subreaper keeps every process of the replica below this one.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t command = start_command(argv + 3, set);
    if (command < 0) {
        std::fprintf(stderr, "ringlb: fork: %s\n", std::strerror(errno));
        return 127;
    }
    bool command_done = false;
    int command_status = 0;
    for (;;) {
        const int sig = wait_signal(set, std::chrono::milliseconds(1000));
        reap(command, command_done, command_status);
        if (command_done || sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
            break;
        }
    }
    end_tree(std::chrono::milliseconds(grace_ms), set, command, command_done, command_status);
    return exit_code(command_done, command_status);
}

}  // namespace ringlb::drivers
