#include "config/process_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "config/replica_command.hpp"

namespace ringlb::balancer {

namespace {

bool is_executable_file(const std::string& file) {
    std::error_code ec;
    return std::filesystem::is_regular_file(file, ec) && ::access(file.c_str(), X_OK) == 0;
}

void check_command(const BalancerOptions& o) {
    if (o.replica_command.empty()) {
        return;
    }
    if (!o.replica_binary.empty()) {
        throw CLI::ValidationError("--replica-command",
                                   "give either --replica-command or --replica-binary, not both");
    }
    const SplitCommand split = split_command(o.replica_command);
    if (!split.error.empty()) {
        throw CLI::ValidationError("--replica-command", split.error);
    }
    if (const auto problem = check_placeholders(split.words)) {
        throw CLI::ValidationError("--replica-command", *problem);
    }
    const char* path = std::getenv("PATH");
    if (!find_program(split.words.front(), path ? path : "/usr/bin:/bin", is_executable_file)) {
        throw CLI::ValidationError(
            "--replica-command",
            "'" + split.words.front() + "' is not an executable file" + " (nor one in PATH)");
    }
}

// A path the probe can put in its request line: absolute, printable, no spaces.
bool is_request_path(const std::string& path) {
    if (path.empty() || path.front() != '/' || path.size() > 1024) {
        return false;
    }
    return std::all_of(path.begin(), path.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

void add_replica_command_options(CLI::App& app, BalancerOptions& o) {
    app.add_option("--replica-command", o.replica_command,
                   "process driver: the command that runs one replica, e.g. \"gunicorn -b\n"
                   "{host}:{port} app:app\". Split like a shell does (quotes, backslashes),\n"
                   "run without one; {port} {host} {id} {name} are replaced, and PORT HOST\n"
                   "SERVER_ID REPLICA_NAME set. ringlb picks the port; the replica is ready\n"
                   "once it passes its heartbeat. Default: ringlb-server")
        ->envname("RINGLB_REPLICA_COMMAND");
    app.add_option("--replica-log-dir", o.replica_log_dir,
                   "process driver: each replica's stdout and stderr to DIR/NAME.log (appended)\n"
                   "instead of ringlb's log, where they are replica_output lines")
        ->envname("RINGLB_REPLICA_LOG_DIR");
    app.add_option("--heartbeat-path", o.health.path,
                   "Path of the replicas' health check: a 2xx answer means alive")
        ->envname("RINGLB_HEARTBEAT_PATH")
        ->capture_default_str();
}

void check_replica_command_options(const BalancerOptions& o) {
    check_command(o);
    if (!is_request_path(o.health.path)) {
        throw CLI::ValidationError(
            "--heartbeat-path",
            "'" + o.health.path + "' is not an absolute path (starts with /, no spaces)");
    }
    if (!o.replica_log_dir.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(o.replica_log_dir, ec) ||
            ::access(o.replica_log_dir.c_str(), W_OK | X_OK) != 0) {
            throw CLI::ValidationError("--replica-log-dir",
                                       "'" + o.replica_log_dir + "' is not a writable directory");
        }
    }
}

}  // namespace ringlb::balancer
