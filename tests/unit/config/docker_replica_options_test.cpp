// --replica-port and --replica-env as ringlb's command line and environment give them.
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/balancer_options.hpp"

namespace ringlb::balancer {
namespace {

struct Parsed {
    std::optional<BalancerOptions> options;
    std::string error;  // what ringlb printed on stderr
};

Parsed parse(std::vector<const char*> args) {
    args.insert(args.begin(), "ringlb");
    testing::internal::CaptureStderr();
    auto parsed = parse_balancer_options(static_cast<int>(args.size()), args.data());
    return {std::move(parsed.options), testing::internal::GetCapturedStderr()};
}

class DockerReplicaOptionsTest : public ::testing::Test {
  protected:
    void SetUp() override { clear(); }
    void TearDown() override { clear(); }
    static void clear() {
        unsetenv("RINGLB_REPLICA_PORT");
        unsetenv("RINGLB_REPLICA_ENV");
    }
};

TEST_F(DockerReplicaOptionsTest, DefaultsArePort5000AndNoExtraEnvironment) {
    const auto parsed = parse({});
    ASSERT_TRUE(parsed.options) << parsed.error;
    EXPECT_EQ(parsed.options->docker.replica_port, 5000);
    EXPECT_TRUE(parsed.options->docker.env.empty());
}

TEST_F(DockerReplicaOptionsTest, FlagsAreRead) {
    const auto parsed = parse(
        {"--replica-port", "8080", "--replica-env", "GREETING=hi", "--replica-env", "OPTS=a=b c"});
    ASSERT_TRUE(parsed.options) << parsed.error;
    EXPECT_EQ(parsed.options->docker.replica_port, 8080);
    EXPECT_EQ(parsed.options->docker.env, (std::vector<std::string>{"GREETING=hi", "OPTS=a=b c"}));
}

TEST_F(DockerReplicaOptionsTest, TheEnvironmentTwinsTakeOneEntryPerLine) {
    setenv("RINGLB_REPLICA_PORT", "9090", 1);
    setenv("RINGLB_REPLICA_ENV", "A=1\nB=two words", 1);
    const auto parsed = parse({});
    ASSERT_TRUE(parsed.options) << parsed.error;
    EXPECT_EQ(parsed.options->docker.replica_port, 9090);
    EXPECT_EQ(parsed.options->docker.env, (std::vector<std::string>{"A=1", "B=two words"}));
}

TEST_F(DockerReplicaOptionsTest, BadValuesAreRefusedWithOneLineNamingTheFlag) {
    const std::vector<std::vector<const char*>> cases = {
        {"--replica-port", "0"},
        {"--replica-port", "65536"},
        {"--replica-port", "http"},
        {"--replica-env", "GREETING"},
        {"--replica-env", "=x"},
        {"--replica-env", "MY KEY=1"},
        {"--replica-env", "SERVER_ID=3"},
        {"--replica-env", "REPLICA_NAME=x"},
        {"--replica-env", "A=1", "--replica-env", "A=2"},
    };
    for (const auto& args : cases) {
        const auto parsed = parse(args);
        EXPECT_FALSE(parsed.options) << args.back();
        EXPECT_NE(parsed.error.find(args.front()), std::string::npos) << parsed.error;
    }
}

TEST_F(DockerReplicaOptionsTest, AReservedNameInTheEnvironmentTwinIsRefusedToo) {
    setenv("RINGLB_REPLICA_ENV", "A=1\nSERVER_ID=4", 1);
    const auto parsed = parse({});
    EXPECT_FALSE(parsed.options);
    EXPECT_NE(parsed.error.find("SERVER_ID"), std::string::npos) << parsed.error;
}

}  // namespace
}  // namespace ringlb::balancer
