#include "drivers/docker/container_spec.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

namespace json = boost::json;

DockerDriverOptions test_options() {
    DockerDriverOptions options;
    options.image = "ringlb-server:test";
    options.network = "ringlb-test-net";
    options.instance = "lb-7";
    options.stop_grace = std::chrono::milliseconds(1500);
    return options;
}

TEST(ReplicaContainerSpec, CarriesIdentityAndOwnership) {
    const auto spec = replica_container_spec(test_options(), "S5", 42);
    EXPECT_EQ(spec.name, "S5");
    EXPECT_EQ(spec.image, "ringlb-server:test");
    EXPECT_EQ(spec.network, "ringlb-test-net");
    EXPECT_EQ(spec.env, (std::vector<std::string>{"SERVER_ID=42", "REPLICA_NAME=S5", "PORT=5000",
                                                  "HOST=0.0.0.0"}));
    const std::map<std::string, std::string> labels{{"ringlb.managed", "true"},
                                                    {"ringlb.instance", "lb-7"},
                                                    {"ringlb.server-id", "42"},
                                                    {"ringlb.replica-port", "5000"}};
    EXPECT_EQ(spec.labels, labels);
    EXPECT_EQ(spec.stop_timeout_seconds, 2);  // rounded up, never shorter than asked
}

TEST(ReplicaContainerSpec, LabelsThePortTheApplicationListensOn) {
    auto options = test_options();
    options.replica_port = 8080;
    EXPECT_EQ(replica_container_spec(options, "S5", 42).labels.at("ringlb.replica-port"), "8080");
}

TEST(ReplicaEnvironment, IsTheDriversVariablesThenTheOperatorsWhichMayReplacePortAndHost) {
    struct Case {
        std::uint16_t port;
        std::vector<std::string> extra;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {5000, {}, {"SERVER_ID=7", "REPLICA_NAME=web-1", "PORT=5000", "HOST=0.0.0.0"}},
        {8080,
         {"GREETING=hi", "OPTS=a=b"},
         {"SERVER_ID=7", "REPLICA_NAME=web-1", "PORT=8080", "HOST=0.0.0.0", "GREETING=hi",
          "OPTS=a=b"}},
        {8080, {"PORT=9000"}, {"SERVER_ID=7", "REPLICA_NAME=web-1", "HOST=0.0.0.0", "PORT=9000"}},
        {8080, {"HOST=::"}, {"SERVER_ID=7", "REPLICA_NAME=web-1", "PORT=8080", "HOST=::"}},
        // Only the exact key replaces: PORTS and HOSTNAME are other variables.
        {8080,
         {"PORTS=1", "HOSTNAME=x"},
         {"SERVER_ID=7", "REPLICA_NAME=web-1", "PORT=8080", "HOST=0.0.0.0", "PORTS=1",
          "HOSTNAME=x"}},
    };
    for (const auto& [port, extra, expected] : cases) {
        auto options = test_options();
        options.replica_port = port;
        options.env = extra;
        EXPECT_EQ(replica_environment(options, "web-1", 7), expected);
        EXPECT_EQ(replica_container_spec(options, "web-1", 7).env, expected);
    }
}

TEST(CreateContainerBody, IsTheEngineApisShape) {
    const auto body =
        json::parse(create_container_body(replica_container_spec(test_options(), "S5", 42)));
    const auto& object = body.as_object();
    EXPECT_EQ(object.at("Image"), "ringlb-server:test");
    EXPECT_EQ(object.at("Hostname"), "S5");
    EXPECT_EQ(object.at("Env"),
              json::parse(R"(["SERVER_ID=42", "REPLICA_NAME=S5", "PORT=5000", "HOST=0.0.0.0"])"));
    EXPECT_EQ(object.at("Labels"), json::parse(R"({"ringlb.instance": "lb-7", "ringlb.managed":
        "true", "ringlb.server-id": "42", "ringlb.replica-port": "5000"})"));
    EXPECT_EQ(object.at("StopTimeout"), 2);
    EXPECT_EQ(
        object.at("HostConfig"),
        json::parse(R"({"NetworkMode": "ringlb-test-net", "RestartPolicy": {"Name": "no"}})"));
    EXPECT_EQ(object.at("NetworkingConfig"),
              json::parse(R"({"EndpointsConfig": {"ringlb-test-net": {"Aliases": ["S5"]}}})"));
    // Nothing else reaches the container's configuration: no mounts, ports, privileges, command.
    EXPECT_EQ(object.size(), 7U);
}

TEST(CreateContainerBody, EscapesWhateverItIsGiven) {
    ContainerSpec spec;
    spec.name = "x";
    spec.image = "img";
    spec.network = "n";
    spec.env = {"A=\"quoted\"\n"};
    const auto body = json::parse(create_container_body(spec));
    EXPECT_EQ(body.at("Env").at(0), "A=\"quoted\"\n");
}

TEST(CreateNetworkBody, IsALabelledBridge) {
    const auto body = json::parse(create_network_body("net1", ownership_labels("compose")));
    EXPECT_EQ(body, json::parse(R"({"Name": "net1", "Driver": "bridge", "CheckDuplicate": true,
        "Labels": {"ringlb.instance": "compose", "ringlb.managed": "true"}})"));
}

}  // namespace
}  // namespace ringlb::drivers
