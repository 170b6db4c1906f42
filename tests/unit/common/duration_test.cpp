#include "common/duration.hpp"

#include <gtest/gtest.h>

namespace ringlb::net {
namespace {

using std::chrono::milliseconds;

TEST(Duration, ParsesUnits) {
    EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
    EXPECT_EQ(parse_duration("2s"), milliseconds(2000));
    EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
    EXPECT_EQ(parse_duration("5m"), milliseconds(300'000));
    EXPECT_EQ(parse_duration("0ms"), milliseconds(0));
}

TEST(Duration, RejectsMissingOrUnknownUnitsAndNonsense) {
    for (const char* text : {"", "60", "s", "1h", "-1s", "1 s", "nan", "infs", "1e99s"}) {
        EXPECT_FALSE(parse_duration(text)) << text;
    }
}

TEST(Duration, FormatRoundTrips) {
    for (const auto ms :
         {milliseconds(0), milliseconds(250), milliseconds(2000), milliseconds(1500)}) {
        EXPECT_EQ(parse_duration(format_duration(ms)), ms);
    }
}

}  // namespace
}  // namespace ringlb::net
