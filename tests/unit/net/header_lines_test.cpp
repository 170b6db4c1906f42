#include "net/header_lines.hpp"

#include <gtest/gtest.h>

#include "net/listener.hpp"

namespace ringlb::net {
namespace {

TEST(HeaderLines, FindsCaseInsensitively) {
    const std::string lines = "Host: a\r\nauthorization: Bearer x y\r\nX-Empty:\r\n";
    EXPECT_EQ(find_header(lines, "Authorization"), "Bearer x y");
    EXPECT_EQ(find_header(lines, "host"), "a");
    EXPECT_EQ(find_header(lines, "X-Empty"), "");
    EXPECT_FALSE(find_header(lines, "Cookie"));
    EXPECT_FALSE(find_header("", "Host"));
}

TEST(HeaderLines, BearerSchemeIsCaseInsensitive) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("bearer abc"), "abc");
    EXPECT_EQ(bearer_token("BEARER abc"), "abc");
    EXPECT_EQ(bearer_token("Bearer   abc"), "abc");
    EXPECT_EQ(bearer_token("Bearer"), std::nullopt);
    EXPECT_EQ(bearer_token("Bearer "), std::nullopt);
    EXPECT_EQ(bearer_token("Bearerabc"), std::nullopt);
    EXPECT_EQ(bearer_token("Basic abc"), std::nullopt);
    EXPECT_EQ(bearer_token(""), std::nullopt);
}

TEST(HeaderLines, SecretsCompare) {
    EXPECT_TRUE(equal_secrets("abc", "abc"));
    EXPECT_FALSE(equal_secrets("abc", "abd"));
    EXPECT_FALSE(equal_secrets("abc", "abcd"));
    EXPECT_TRUE(equal_secrets("", ""));
}

TEST(HostPort, Parses) {
    const auto v4 = parse_host_port("127.0.0.1:5001");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->port(), 5001);
    EXPECT_TRUE(v4->address().is_loopback());
    const auto v6 = parse_host_port("[::1]:80");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->address().is_v6());
    for (const char* bad :
         {"", "127.0.0.1", "localhost:80", "127.0.0.1:", "127.0.0.1:99999", "1.2.3.4:x"}) {
        EXPECT_FALSE(parse_host_port(bad)) << bad;
    }
}

}  // namespace
}  // namespace ringlb::net
