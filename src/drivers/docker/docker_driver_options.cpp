#include "drivers/docker/docker_driver_options.hpp"

#include "config/replica_env.hpp"
#include "drivers/docker/container_name.hpp"

namespace ringlb::drivers {

std::optional<std::string> validate(const DockerDriverOptions& options) {
    if (options.socket_path.empty()) {
        return "the Docker socket path is empty";
    }
    if (!is_plausible_image_reference(options.image)) {
        return "'" + options.image + "' is not a usable image reference";
    }
    if (!is_valid_network_name(options.network)) {
        return "'" + options.network +
               "' is not a valid network name ([a-zA-Z0-9][a-zA-Z0-9_.-]{0,62})";
    }
    if (!is_valid_label_value(options.instance)) {
        return "'" + options.instance + "' is not a valid instance label ([a-zA-Z0-9_.-]{1,63})";
    }
    if (options.replica_port == 0) {
        return "the replica port must be 1..65535";
    }
    if (auto problem = balancer::replica_env_problem(options.env)) {
        return "replica environment: " + *problem;
    }
    if (options.api_timeout <= std::chrono::milliseconds::zero() ||
        options.stop_grace < std::chrono::milliseconds::zero() ||
        options.events_retry <= std::chrono::milliseconds::zero()) {
        return "Docker API timeouts must be positive";
    }
    return std::nullopt;
}

}  // namespace ringlb::drivers
