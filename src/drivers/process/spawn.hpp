#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace ringlb::drivers {

// A replica's supervisor process as started: its PID, a pidfd that becomes readable when it
// exits, and the read end of the pipe that carries its stdout and stderr (-1 when they go to a
// file). On failure pid is -1 and error says why; nothing is left open.
struct SpawnedProcess {
    pid_t pid = -1;
    int pidfd = -1;
    int output_fd = -1;
    std::string error;
};

// Runs the program `file` with the arguments `argv` (argv[0] is the name `ps` shows) and exactly
// the environment `env`, stdin from /dev/null, stdout and stderr to `output_file_fd` when it is >=
// 0 (the caller keeps and closes it) or else to a new pipe, in a process group of its own (a Ctrl-C
// in ringlb's terminal reaches ringlb alone, which then stops its replicas in order), and with
// SIGTERM as its parent-death signal. Called from a multi-threaded process: between fork and exec
// the child makes only async-signal-safe calls.
SpawnedProcess spawn_process(const std::string& file, const std::vector<std::string>& argv,
                             const std::vector<std::string>& env, int output_file_fd);

}  // namespace ringlb::drivers
