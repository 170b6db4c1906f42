#include "config/key_policy.hpp"

#include <set>

#include <gtest/gtest.h>

#include "dataplane/request_key.hpp"

namespace ringlb::balancer {
namespace {

using Source = KeyPolicy::Source;

TEST(KeyPolicy, Parses) {
    EXPECT_EQ(parse_key_policy("auto")->source, Source::automatic);
    EXPECT_EQ(parse_key_policy("random")->source, Source::random);
    EXPECT_EQ(parse_key_policy("path")->source, Source::path);
    EXPECT_EQ(parse_key_policy("client-ip")->source, Source::client_ip);
    const auto header = parse_key_policy("header:X-User");
    ASSERT_TRUE(header);
    EXPECT_EQ(header->source, Source::header);
    EXPECT_EQ(header->name, "X-User");
    EXPECT_EQ(header->header_to_capture(), "X-User");
    EXPECT_EQ(parse_key_policy("cookie:sid")->header_to_capture(), "Cookie");
    EXPECT_EQ(parse_key_policy("auto")->header_to_capture(), "X-Request-Id");
    for (const char* bad : {"", "header:", "cookie:", "header:a b", "bogus", "Random"}) {
        EXPECT_FALSE(parse_key_policy(bad)) << bad;
    }
}

TEST(KeyPolicy, NumericRequestIdsPassThrough) {
    std::mt19937_64 rng(1);
    const std::string id = "123456";
    EXPECT_EQ(request_key(*parse_key_policy("auto"), &id, "/home", "127.0.0.1", rng), 123456U);
    const std::string padded = " 42 ";
    EXPECT_EQ(request_key(*parse_key_policy("auto"), &padded, "/home", "127.0.0.1", rng), 42U);
}

TEST(KeyPolicy, MissingSourceFallsBackToRandomSixDigitIds) {
    std::mt19937_64 rng(1);
    const auto policy = *parse_key_policy("auto");
    std::set<hashing::Key> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto key = request_key(policy, nullptr, "/home", "127.0.0.1", rng);
        EXPECT_GE(key, 100000U);
        EXPECT_LE(key, 999999U);
        seen.insert(key);
    }
    EXPECT_GT(seen.size(), 990U);
}

TEST(KeyPolicy, PathAndClientIpKeysAreStable) {
    std::mt19937_64 rng(1);
    const auto path = *parse_key_policy("path");
    EXPECT_EQ(request_key(path, nullptr, "/a", "10.0.0.1", rng),
              request_key(path, nullptr, "/a", "10.0.0.2", rng));
    EXPECT_NE(request_key(path, nullptr, "/a", "", rng), request_key(path, nullptr, "/b", "", rng));
    const auto ip = *parse_key_policy("client-ip");
    EXPECT_EQ(request_key(ip, nullptr, "/a", "10.0.0.1", rng),
              request_key(ip, nullptr, "/b", "10.0.0.1", rng));
}

TEST(KeyPolicy, Cookies) {
    EXPECT_EQ(find_cookie("a=1; sid=xyz; b=2", "sid"), "xyz");
    EXPECT_EQ(find_cookie("sid=xyz", "sid"), "xyz");
    EXPECT_EQ(find_cookie("asid=1; sid=2", "sid"), "2");
    EXPECT_FALSE(find_cookie("a=1; b=2", "sid"));
    EXPECT_FALSE(find_cookie("", "sid"));
    std::mt19937_64 rng(1);
    const std::string header = "theme=dark; sid=777777";
    EXPECT_EQ(request_key(*parse_key_policy("cookie:sid"), &header, "/", "", rng), 777777U);
}

}  // namespace
}  // namespace ringlb::balancer
