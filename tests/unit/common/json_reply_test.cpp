#include "common/json_reply.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ringlb::net {
namespace {

TEST(JsonReply, MatchesSpecSpacing) {
    const auto value = boost::json::parse(
        R"({"message":{"N":3,"replicas":["server-1","server-2","server-3"]},"status":"successful"})");
    EXPECT_EQ(
        to_spec_json(value),
        R"({"message": {"N": 3, "replicas": ["server-1", "server-2", "server-3"]}, "status": "successful"})");
}

TEST(JsonReply, StringMessage) {
    EXPECT_EQ(json_reply("<Error> no replicas available", false),
              R"({"message": "<Error> no replicas available", "status": "failure"})");
}

TEST(JsonReply, EscapesStrings) {
    EXPECT_EQ(json_reply("a\"b\n", true), R"({"message": "a\"b\n", "status": "successful"})");
}

TEST(JsonReply, EmptyContainers) {
    EXPECT_EQ(to_spec_json(boost::json::parse(R"({"a":[],"b":{}})")), R"({"a": [], "b": {}})");
}

}  // namespace
}  // namespace ringlb::net
