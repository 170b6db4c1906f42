#include "hashing/key.hpp"

#include <string>

#include <gtest/gtest.h>
#include <xxhash.h>

namespace ringlb::hashing {
namespace {

Key xxh3(std::string_view text) {
    return XXH3_64bits(text.data(), text.size());
}

TEST(KeyFromString, DecimalDigitsAreTheirValue) {
    EXPECT_EQ(key_from_string("123456"), 123456U);
    EXPECT_EQ(key_from_string("0"), 0U);
    EXPECT_EQ(key_from_string("000123"), 123U);
    EXPECT_EQ(key_from_string("18446744073709551615"), 18446744073709551615ULL);
}

TEST(KeyFromString, AnythingElseIsXxh3OfTheBytes) {
    for (const std::string text :
         {"", "abc", "12a", "-5", "+5", " 5", "5 ", "18446744073709551616", "99999999999999999999",
          "550e8400-e29b-41d4-a716-446655440000"}) {
        EXPECT_EQ(key_from_string(text), xxh3(text)) << "'" << text << "'";
    }
}

}  // namespace
}  // namespace ringlb::hashing
