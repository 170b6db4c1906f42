#include "loadgen/json_text.hpp"

#include <limits>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

namespace json = boost::json;

TEST(ToJsonText, WritesDoublesInFixedNotation) {
    EXPECT_EQ(to_json_text(json::value(0.84)), "0.84");
    EXPECT_EQ(to_json_text(json::value(2.0)), "2");
    EXPECT_EQ(to_json_text(json::value(0.000001)), "0.000001");
    EXPECT_EQ(to_json_text(json::value(1234567.5)), "1234567.5");
    EXPECT_EQ(to_json_text(json::value(-0.5)), "-0.5");
}

TEST(ToJsonText, WritesNonFiniteDoublesAsNull) {
    EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::infinity())), "null");
    EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::quiet_NaN())), "null");
}

TEST(ToJsonText, KeepsStructureAndEscapesStrings) {
    const json::value value = json::object{{"a", json::array{1, -2, 0.25, nullptr, true}},
                                           {"b \"quoted\"", "x\ny"},
                                           {"c", json::object{}}};
    const std::string text = to_json_text(value);
    EXPECT_EQ(text, R"({"a": [1, -2, 0.25, null, true], "b \"quoted\"": "x\ny", "c": {}})");
    EXPECT_EQ(json::parse(text), value);
}

TEST(Rounded, RoundsToDecimals) {
    EXPECT_EQ(to_json_text(json::value(rounded(1.0 / 3.0, 3))), "0.333");
    EXPECT_EQ(to_json_text(json::value(rounded(2.0 / 3.0, 6))), "0.666667");
    EXPECT_DOUBLE_EQ(rounded(0.0005, 3), 0.001);
}

}  // namespace
}  // namespace ringlb::loadgen
