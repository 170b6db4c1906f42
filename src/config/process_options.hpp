#pragma once

#include <CLI/CLI.hpp>

#include "config/balancer_options.hpp"

namespace ringlb::balancer {

// --replica-command, --replica-log-dir and --heartbeat-path: what a replica is and how it is
// seen to be alive.
void add_replica_command_options(CLI::App& app, BalancerOptions& o);

// Refuses, with a CLI::ValidationError naming the flag, what cannot work: a command that does
// not split or names an unknown placeholder or a program that is not there, a command together
// with --replica-binary, a log directory that cannot be written, a heartbeat path that is not an
// absolute path.
void check_replica_command_options(const BalancerOptions& o);

}  // namespace ringlb::balancer
