#include "drivers/docker/container_spec.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "config/replica_env.hpp"

namespace ringlb::drivers {

namespace json = boost::json;

namespace {

json::object to_json(const std::map<std::string, std::string>& labels) {
    json::object object;
    for (const auto& [key, value] : labels) {
        object[key] = value;
    }
    return object;
}

std::int64_t ceil_seconds(std::chrono::milliseconds duration) {
    return std::chrono::ceil<std::chrono::seconds>(duration).count();
}

// True when one of `entries` sets the variable `key`.
bool sets(const std::vector<std::string>& entries, std::string_view key) {
    return std::any_of(entries.begin(), entries.end(), [key](const std::string& entry) {
        return balancer::replica_env_key(entry) == key;
    });
}

}  // namespace

std::vector<std::string> replica_environment(const DockerDriverOptions& options,
                                             std::string_view name, std::uint32_t server_id) {
    std::vector<std::string> env = {"SERVER_ID=" + std::to_string(server_id),
                                    "REPLICA_NAME=" + std::string(name)};
    if (!sets(options.env, "PORT")) {
        env.push_back("PORT=" + std::to_string(options.replica_port));
    }
    if (!sets(options.env, "HOST")) {
        env.emplace_back("HOST=0.0.0.0");
    }
    env.insert(env.end(), options.env.begin(), options.env.end());
    return env;
}

std::map<std::string, std::string> ownership_labels(std::string_view instance) {
    return {{std::string(kManagedLabel), std::string(kManagedValue)},
            {std::string(kInstanceLabel), std::string(instance)}};
}

ContainerSpec replica_container_spec(const DockerDriverOptions& options, std::string_view name,
                                     std::uint32_t server_id) {
    ContainerSpec spec;
    spec.name = name;
    spec.image = options.image;
    spec.network = options.network;
    spec.env = replica_environment(options, name, server_id);
    spec.labels = ownership_labels(options.instance);
    spec.labels[std::string(kServerIdLabel)] = std::to_string(server_id);
    spec.labels[std::string(kReplicaPortLabel)] = std::to_string(options.replica_port);
    spec.stop_timeout_seconds = ceil_seconds(options.stop_grace);
    return spec;
}

std::string create_container_body(const ContainerSpec& spec) {
    json::array env;
    for (const auto& entry : spec.env) {
        env.emplace_back(entry);
    }
    json::object endpoint;
    endpoint["Aliases"] = json::array{json::value(spec.name)};
    json::object endpoints;
    endpoints[spec.network] = std::move(endpoint);

    json::object body;
    body["Image"] = spec.image;
    body["Hostname"] = spec.name;
    body["Env"] = std::move(env);
    body["Labels"] = to_json(spec.labels);
    body["StopTimeout"] = spec.stop_timeout_seconds;
    body["HostConfig"] = json::object{{"NetworkMode", spec.network},
                                      {"RestartPolicy", json::object{{"Name", "no"}}}};
    body["NetworkingConfig"] = json::object{{"EndpointsConfig", std::move(endpoints)}};
    return json::serialize(body);
}

std::string create_network_body(std::string_view name,
                                const std::map<std::string, std::string>& labels) {
    json::object body;
    body["Name"] = name;
    body["Driver"] = "bridge";
    body["CheckDuplicate"] = true;
    body["Labels"] = to_json(labels);
    return json::serialize(body);
}

}  // namespace ringlb::drivers
