#include "replica/endpoints.hpp"

#include <gtest/gtest.h>

namespace ringlb::replica {
namespace {

namespace http = boost::beast::http;

TEST(Endpoints, HomeNamesTheServerInSpecShape) {
    const Endpoints endpoints(3);
    const auto response = endpoints.handle(http::verb::get, "/home");
    EXPECT_EQ(response.status, http::status::ok);
    EXPECT_EQ(response.body, R"({"message": "Hello from Server: 3", "status": "successful"})");
    EXPECT_EQ(response.content_type, "application/json");
}

TEST(Endpoints, HomeCarriesTheConfiguredId) {
    EXPECT_NE(Endpoints(4321).handle(http::verb::get, "/home").body.find("Server: 4321\""),
              std::string::npos);
}

TEST(Endpoints, HeartbeatIsEmpty200) {
    const auto response = Endpoints(1).handle(http::verb::get, "/heartbeat");
    EXPECT_EQ(response.status, http::status::ok);
    EXPECT_TRUE(response.body.empty());
}

TEST(Endpoints, UnknownPathIs404InSpecShape) {
    const auto response = Endpoints(1).handle(http::verb::get, "/other");
    EXPECT_EQ(response.status, http::status::not_found);
    EXPECT_EQ(response.body,
              R"({"message": "<Error> '/other' endpoint does not exist", "status": "failure"})");
}

TEST(Endpoints, PathIsEscapedInJson) {
    const auto response = Endpoints(1).handle(http::verb::get, "/a\"b\\c");
    EXPECT_NE(response.body.find(R"('/a\"b\\c')"), std::string::npos) << response.body;
}

TEST(Endpoints, HeadIsAnsweredLikeGet) {
    EXPECT_EQ(Endpoints(1).handle(http::verb::head, "/home").status, http::status::ok);
}

TEST(Endpoints, OtherMethodsOnKnownPathsAre405WithAllow) {
    for (const auto method : {http::verb::post, http::verb::put, http::verb::delete_}) {
        const auto response = Endpoints(1).handle(method, "/home");
        EXPECT_EQ(response.status, http::status::method_not_allowed);
        EXPECT_EQ(response.allow, "GET, HEAD");
    }
}

TEST(Endpoints, OtherMethodsOnUnknownPathsAre404) {
    EXPECT_EQ(Endpoints(1).handle(http::verb::post, "/other").status, http::status::not_found);
}

}  // namespace
}  // namespace ringlb::replica
