#pragma once

namespace CLI {
class App;
}

namespace ringlb::balancer {

struct DockerOptions;

// The docker driver's flags about the application in the replica image: --replica-port (where it
// listens inside its container) and --replica-env (what is added to its environment).
void add_docker_replica_options(CLI::App& app, DockerOptions& docker);

}  // namespace ringlb::balancer
