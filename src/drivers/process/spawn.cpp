#include "drivers/process/spawn.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ringlb::drivers {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const std::string& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

std::string failure(const char* what, int error) {
    return std::string(what) + ": " + std::strerror(error);
}

[[noreturn]] void exec_child(const char* file, pid_t parent, int output, int null_fd,
                             char* const* argv, char* const* envp) {
    // Every signal back to its default: ringlb ignores SIGPIPE and catches others, and an
    // ignored signal would stay ignored in the replica. Signals are blocked until exec, so none
    // reaches ringlb's handlers here.
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            signal(sig, SIG_DFL);
        }
    }
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
        _exit(127);  // ringlb died between fork and prctl
    }
    setpgid(0, 0);
    dup2(null_fd, STDIN_FILENO);
    dup2(output, STDOUT_FILENO);
    dup2(output, STDERR_FILENO);
    close_range(3, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(file, argv, envp);
    _exit(127);
}

}  // namespace

SpawnedProcess spawn_process(const std::string& file, const std::vector<std::string>& argv,
                             const std::vector<std::string>& env, int output_file_fd) {
    const std::vector<char*> args = c_strings(argv);
    const std::vector<char*> envp = c_strings(env);
    int pipe_fds[2] = {-1, -1};
    if (output_file_fd < 0 && pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return {-1, -1, -1, failure("pipe", errno)};
    }
    const int output = output_file_fd >= 0 ? output_file_fd : pipe_fds[1];
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const auto close_all = [&] {
        for (const int fd : {pipe_fds[0], pipe_fds[1], null_fd}) {
            if (fd >= 0) {
                close(fd);
            }
        }
    };
    if (null_fd < 0) {
        const int saved = errno;
        close_all();
        return {-1, -1, -1, failure("open /dev/null", saved)};
    }
    const pid_t parent = getpid();
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);  // no handler of ringlb's runs in the child
    const pid_t pid = fork();
    if (pid == 0) {
        exec_child(file.c_str(), parent, output, null_fd, args.data(), envp.data());
    }
    const int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    close(null_fd);
    if (pipe_fds[1] >= 0) {
        close(pipe_fds[1]);
    }
    if (pid < 0) {
        if (pipe_fds[0] >= 0) {
            close(pipe_fds[0]);
        }
        return {-1, -1, -1, failure("fork", saved)};
    }
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        const int pidfd_error = errno;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        if (pipe_fds[0] >= 0) {
            close(pipe_fds[0]);
        }
        return {-1, -1, -1, failure("pidfd_open", pidfd_error)};
    }
    return {pid, pidfd, pipe_fds[0], {}};
}

}  // namespace ringlb::drivers
