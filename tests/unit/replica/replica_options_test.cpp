#include "replica/replica_options.hpp"

#include <cstdlib>
#include <vector>

#include <gtest/gtest.h>

namespace ringlb::replica {
namespace {

ParsedReplicaOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "ringlb-server");
    return parse_replica_options(static_cast<int>(args.size()), args.data());
}

class ReplicaOptionsTest : public ::testing::Test {
  protected:
    void SetUp() override { unsetenv("SERVER_ID"); }
    void TearDown() override { unsetenv("SERVER_ID"); }
};

TEST_F(ReplicaOptionsTest, DefaultsMatchTheAssignment) {
    const auto parsed = parse({"--id", "7"});
    ASSERT_TRUE(parsed.options);
    EXPECT_EQ(parsed.options->server_id, 7U);
    EXPECT_EQ(parsed.options->host, "0.0.0.0");
    EXPECT_EQ(parsed.options->port, 5000);
    EXPECT_GE(parsed.options->threads, 1U);
}

TEST_F(ReplicaOptionsTest, ServerIdComesFromTheEnvironment) {
    setenv("SERVER_ID", "12", 1);
    const auto parsed = parse({});
    ASSERT_TRUE(parsed.options);
    EXPECT_EQ(parsed.options->server_id, 12U);
}

TEST_F(ReplicaOptionsTest, MissingServerIdIsAnError) {
    const auto parsed = parse({});
    EXPECT_FALSE(parsed.options);
    EXPECT_NE(parsed.exit_code, 0);
}

TEST_F(ReplicaOptionsTest, HealthcheckNeedsNoId) {
    const auto parsed = parse({"--healthcheck", "http://127.0.0.1:5000/heartbeat"});
    ASSERT_TRUE(parsed.options);
    EXPECT_EQ(parsed.options->healthcheck_url, "http://127.0.0.1:5000/heartbeat");
}

TEST_F(ReplicaOptionsTest, DurationsNeedUnits) {
    const auto ok = parse({"--id", "1", "--idle-timeout", "250ms", "--request-timeout", "3s"});
    ASSERT_TRUE(ok.options);
    EXPECT_EQ(ok.options->limits.idle_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(ok.options->limits.request_timeout, std::chrono::milliseconds(3000));
    EXPECT_FALSE(parse({"--id", "1", "--idle-timeout", "60"}).options);
}

TEST_F(ReplicaOptionsTest, BadValuesAreRejected) {
    EXPECT_FALSE(parse({"--id", "x"}).options);
    EXPECT_FALSE(parse({"--id", "1", "--port", "70000"}).options);
    EXPECT_FALSE(parse({"--id", "1", "--threads", "0"}).options);
    EXPECT_FALSE(parse({"--id", "1", "--bogus"}).options);
}

}  // namespace
}  // namespace ringlb::replica
