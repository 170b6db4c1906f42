#include "drivers/docker/docker_driver_options.hpp"

#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

TEST(DockerDriverOptions, DefaultsAreTheAssignmentsDeployment) {
    const DockerDriverOptions options;
    EXPECT_EQ(validate(options), std::nullopt);
    EXPECT_EQ(options.socket_path, "/var/run/docker.sock");
    EXPECT_EQ(options.image, "ringlb-server:latest");
    EXPECT_EQ(options.network, "net1");
    EXPECT_EQ(options.replica_port, 5000);
    EXPECT_TRUE(options.env.empty());
}

TEST(DockerDriverOptions, EachBadSettingIsNamed) {
    const auto problem = [](auto change) {
        DockerDriverOptions options;
        change(options);
        return validate(options).value_or("");
    };
    EXPECT_NE(problem([](auto& o) { o.socket_path.clear(); }).find("socket"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.image = "two words"; }).find("image"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.network = "net 1"; }).find("network"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.instance = "a=b"; }).find("instance"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.replica_port = 0; }).find("port"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.env = {"NOVALUE"}; }).find("environment"), std::string::npos);
    EXPECT_NE(problem([](auto& o) { o.env = {"SERVER_ID=1"}; }).find("SERVER_ID"),
              std::string::npos);
    EXPECT_NE(
        problem([](auto& o) { o.api_timeout = std::chrono::milliseconds(0); }).find("timeout"),
        std::string::npos);
    EXPECT_NE(
        problem([](auto& o) { o.events_retry = std::chrono::milliseconds(-1); }).find("timeout"),
        std::string::npos);
}

}  // namespace
}  // namespace ringlb::drivers
