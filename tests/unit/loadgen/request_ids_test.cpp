#include "loadgen/request_ids.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

TEST(RequestIdSource, RandomIdsAreTheSimulatorsSixDigitKeys) {
    // The analysis compares a run with `simulate` on the same seed: both must draw the same keys.
    RequestIdSource source(RequestIds{.mode = RequestIds::Mode::kRandom, .seed = 42});
    KeyStream keys(42, KeySpace::kSixDigit);
    for (int i = 0; i < 1000; ++i) {
        const auto id = source.next();
        ASSERT_TRUE(id);
        EXPECT_EQ(*id, std::to_string(keys.next()));
        EXPECT_EQ(id->size(), 6U);
    }
}

TEST(RequestIdSource, NoneSendsNoKey) {
    RequestIdSource source(RequestIds{.mode = RequestIds::Mode::kNone});
    EXPECT_FALSE(source.next());
    EXPECT_FALSE(source.next());
}

TEST(RequestIdSource, FixedKeysGoRoundRobin) {
    RequestIdSource source(RequestIds{.mode = RequestIds::Mode::kFixed, .fixed = {"a", "b", "c"}});
    std::string seen;
    for (int i = 0; i < 7; ++i) {
        seen += *source.next();
    }
    EXPECT_EQ(seen, "abcabca");
}

TEST(RequestIdSource, RejectsAnEmptyFixedSet) {
    EXPECT_THROW(RequestIdSource(RequestIds{.mode = RequestIds::Mode::kFixed}),
                 std::invalid_argument);
}

TEST(ParseRequestIds, ReadsTheThreeForms) {
    EXPECT_EQ(parse_request_ids("random")->mode, RequestIds::Mode::kRandom);
    EXPECT_EQ(parse_request_ids("none")->mode, RequestIds::Mode::kNone);
    const auto fixed = parse_request_ids("123456,user-7,abc");
    ASSERT_TRUE(fixed);
    EXPECT_EQ(fixed->mode, RequestIds::Mode::kFixed);
    EXPECT_EQ(fixed->fixed, (std::vector<std::string>{"123456", "user-7", "abc"}));
    EXPECT_EQ(describe(*fixed), "fixed:3");
    EXPECT_EQ(parse_request_ids("42")->fixed, std::vector<std::string>{"42"});
}

TEST(ParseRequestIds, RejectsKeysThatCannotTravelInAHeader) {
    EXPECT_FALSE(parse_request_ids(""));
    EXPECT_FALSE(parse_request_ids("1,,2"));
    EXPECT_FALSE(parse_request_ids("1,"));
    EXPECT_FALSE(parse_request_ids("a b"));
    EXPECT_FALSE(parse_request_ids("a\r\nX-Evil: 1"));
}

}  // namespace
}  // namespace ringlb::loadgen
