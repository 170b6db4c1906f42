#include "config/docker_replica_options.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/balancer_options.hpp"
#include "config/replica_env.hpp"

namespace ringlb::balancer {

void add_docker_replica_options(CLI::App& app, DockerOptions& docker) {
    app.add_option("--replica-port", docker.replica_port,
                   "docker driver: the port the application listens on inside its container\n"
                   "(1..65535; it gets it as PORT)")
        ->envname("RINGLB_REPLICA_PORT")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    app.add_option_function<std::vector<std::string>>(
           "--replica-env",
           [&docker](const std::vector<std::string>& entries) {
               if (auto problem = replica_env_problem(entries)) {
                   throw CLI::ValidationError("--replica-env", *problem);
               }
               docker.env = entries;
           },
           "docker driver: KEY=VALUE added to each replica's environment, besides SERVER_ID,\n"
           "REPLICA_NAME, PORT and HOST=0.0.0.0 (PORT and HOST may be replaced); repeat the\n"
           "flag for more, or give one per line in the environment twin")
        ->envname("RINGLB_REPLICA_ENV")
        ->delimiter('\n');
}

}  // namespace ringlb::balancer
