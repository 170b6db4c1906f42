#include "drivers/docker/api_response.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

TEST(DaemonMessage, PrefersTheEnginesMessage) {
    EXPECT_EQ(daemon_message(R"({"message":"No such image: ringlb-server:latest"})"),
              "No such image: ringlb-server:latest");
    EXPECT_EQ(daemon_message("  page not found\n"), "page not found");
    EXPECT_EQ(daemon_message(std::string(1000, 'x')).size(), 300U);
    EXPECT_EQ(daemon_message(""), "");
}

TEST(DescribeFailure, SaysWhatWentWrongAndWhere) {
    ApiResponse refused;
    refused.error = boost::asio::error::connection_refused;
    EXPECT_EQ(describe_failure(refused, "/s").rfind("Docker daemon not reachable at /s: ", 0), 0U);

    ApiResponse slow;
    slow.error = boost::beast::error::timeout;
    EXPECT_EQ(describe_failure(slow, "/s"), "Docker daemon at /s did not answer in time");

    ApiResponse conflict;
    conflict.status = 409;
    conflict.body = R"({"message":"Conflict. The container name \"/S5\" is already in use"})";
    EXPECT_EQ(describe_failure(conflict, "/s"),
              "Docker daemon answered 409: Conflict. The container name \"/S5\" is already in use");
    EXPECT_FALSE(conflict.ok());
    EXPECT_TRUE(conflict.has_status(409));
}

TEST(ApiResponse, OkMeansA2xxWithoutTransportError) {
    ApiResponse response;
    response.status = 204;
    EXPECT_TRUE(response.ok());
    response.error = boost::asio::error::eof;
    EXPECT_FALSE(response.ok());
    EXPECT_FALSE(response.has_status(204));
}

}  // namespace
}  // namespace ringlb::drivers
