#pragma once

#include <string_view>

namespace ringlb::drivers {

// The first argument that makes ringlb run as a replica's supervisor instead of a load balancer:
//   ringlb --replica-supervisor STOP_TIMEOUT_MS COMMAND [ARGS...]
// The process driver starts every replica this way (it runs /proc/self/exe), so that one
// process of ringlb's own stands between ringlb and each replica and owns all of its processes.
inline constexpr std::string_view kSupervisorFlag = "--replica-supervisor";

// The supervisor's main. It
//   - asks to receive SIGTERM when ringlb dies (even by SIGKILL), and becomes a child subreaper:
//     every process the replica starts, even one that detaches (double fork, setsid), stays
//     below it;
//   - runs COMMAND (looked up in PATH, environment inherited) with SIGKILL as its own
//     parent-death signal;
//   - on SIGTERM, SIGINT or SIGHUP, or when COMMAND exits by itself, sends SIGTERM to every
//     process below it, waits up to STOP_TIMEOUT_MS for them to exit, sends SIGKILL to the rest,
//     and exits: with COMMAND's exit code, or 128 + the signal that ended it.
// Returns the exit code; argv is as main() got it.
int run_replica_supervisor(int argc, char** argv);

}  // namespace ringlb::drivers
