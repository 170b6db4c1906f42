#include "controlplane/hostname.hpp"

#include <set>

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

TEST(Hostname, ValidContainerNames) {
    for (const char* name : {"S5", "server-1", "ab", "A.b_c-d", "0abc"}) {
        EXPECT_TRUE(is_valid_hostname(name)) << name;
    }
    EXPECT_TRUE(is_valid_hostname(std::string(63, 'a')));
}

TEST(Hostname, InvalidNames) {
    for (const char* name : {"", "a", "7", "-a", ".a", "_a", "a b", "a/b", "a:b", "ä", "a\n"}) {
        EXPECT_FALSE(is_valid_hostname(name)) << name;
    }
    EXPECT_FALSE(is_valid_hostname(std::string(64, 'a')));
}

TEST(Hostname, RandomNamesAreValidAndVaried) {
    std::mt19937_64 rng(7);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string name = random_hostname(rng);
        EXPECT_TRUE(is_valid_hostname(name)) << name;
        EXPECT_TRUE(name.starts_with("replica-"));
        seen.insert(name);
    }
    EXPECT_EQ(seen.size(), 200U);
}

}  // namespace
}  // namespace ringlb::balancer
