#include "net/url.hpp"

#include <gtest/gtest.h>

namespace ringlb::net {
namespace {

TEST(Url, HostPortTarget) {
    const auto url = parse_http_url("http://127.0.0.1:5000/heartbeat");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "127.0.0.1");
    EXPECT_EQ(url->port, 5000);
    EXPECT_EQ(url->target, "/heartbeat");
}

TEST(Url, Defaults) {
    const auto url = parse_http_url("http://localhost");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->port, 80);
    EXPECT_EQ(url->target, "/");
}

TEST(Url, Ipv6) {
    const auto url = parse_http_url("http://[::1]:8080/x?y=1");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "::1");
    EXPECT_EQ(url->port, 8080);
    EXPECT_EQ(url->target, "/x?y=1");
}

TEST(Url, Rejects) {
    for (const char* text : {"https://a/", "a:1", "http://", "http://:80/", "http://a:0/",
                             "http://a:99999/", "http://a:x/", "http://[::1/"}) {
        EXPECT_FALSE(parse_http_url(text)) << text;
    }
}

}  // namespace
}  // namespace ringlb::net
