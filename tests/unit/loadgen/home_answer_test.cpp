#include "loadgen/home_answer.hpp"

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

TEST(ParseServerId, ReadsTheReplicasHomeAnswer) {
    EXPECT_EQ(parse_server_id(R"({"message": "Hello from Server: 3", "status": "successful"})"),
              3U);
    EXPECT_EQ(parse_server_id(R"({"status":"successful","message":"Hello from Server: 4321"})"),
              4321U);
}

TEST(ParseServerId, RejectsEverythingElse) {
    EXPECT_FALSE(parse_server_id(""));
    EXPECT_FALSE(parse_server_id("Hello from Server: 3"));
    EXPECT_FALSE(parse_server_id(R"({"message": "Hello from Server: ", "status": "successful"})"));
    EXPECT_FALSE(parse_server_id(R"({"message": "Hello from Server: 3x"})"));
    EXPECT_FALSE(parse_server_id(R"({"message": "Hello from Server: -3"})"));
    EXPECT_FALSE(parse_server_id(R"({"message": "Hello from Server: 99999999999"})"));
    EXPECT_FALSE(parse_server_id(R"({"message": {"N": 3}, "status": "successful"})"));
    EXPECT_FALSE(parse_server_id(
        R"({"message": "<Error> '/other' endpoint does not exist", "status": "failure"})"));
    EXPECT_FALSE(parse_server_id(R"(["Hello from Server: 3"])"));
    EXPECT_FALSE(parse_server_id(R"({"message": "Hello from Server: 3")"));
}

}  // namespace
}  // namespace ringlb::loadgen
