#include "loadgen/path_mix.hpp"

#include <array>
#include <limits>
#include <map>

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

constexpr std::uint64_t kMaxDraw = std::numeric_limits<std::uint64_t>::max();

// The smallest draw whose scaled point, (draw * total) >> 64, reaches `point`.
std::uint64_t first_draw_at(std::uint64_t point, std::uint64_t total) {
    __extension__ using Uint128 = unsigned __int128;
    const Uint128 scaled = (static_cast<Uint128>(point) << 64U) + total - 1;
    return static_cast<std::uint64_t>(scaled / total);
}

TEST(ChoosePath, MapsADrawOntoTheWeightsInOrder) {
    struct Row {
        std::vector<std::uint64_t> weights;
        std::uint64_t draw;
        std::size_t expected;
    };
    const std::array rows{
        Row{{1}, 0, 0},
        Row{{1}, kMaxDraw, 0},
        Row{{99, 1}, 0, 0},
        Row{{99, 1}, first_draw_at(99, 100) - 1, 0},  // the last draw of the first 99 points
        Row{{99, 1}, first_draw_at(99, 100), 1},      // the first draw of the 100th
        Row{{99, 1}, kMaxDraw, 1},
        Row{{1, 1}, kMaxDraw / 2, 0},
        Row{{1, 1}, kMaxDraw / 2 + 1, 1},
        Row{{2, 3, 5}, first_draw_at(2, 10) - 1, 0},
        Row{{2, 3, 5}, first_draw_at(2, 10), 1},
        Row{{2, 3, 5}, first_draw_at(5, 10) - 1, 1},
        Row{{2, 3, 5}, first_draw_at(5, 10), 2},
        Row{{2, 3, 5}, kMaxDraw, 2},
    };
    for (const Row& row : rows) {
        EXPECT_EQ(choose_path(row.weights, row.draw), row.expected)
            << "draw " << row.draw << " over " << row.weights.size() << " paths";
    }
}

TEST(ParseWeightedPath, ReadsAPathAndItsWeight) {
    struct Row {
        const char* text;
        WeightedPath expected;
    };
    const std::array rows{
        Row{"/home", {"/home", 1}},
        Row{"/fast=99", {"/fast", 99}},
        Row{"/", {"/", 1}},
        Row{"/q?a=b=3", {"/q?a=b", 3}},  // the weight follows the last '='
        Row{"/slow=1000000", {"/slow", kMaxPathWeight}},
    };
    for (const Row& row : rows) {
        const auto parsed = parse_weighted_path(row.text);
        const auto* path = std::get_if<WeightedPath>(&parsed);
        ASSERT_NE(path, nullptr) << row.text << ": " << std::get<std::string>(parsed);
        EXPECT_EQ(*path, row.expected) << row.text;
    }
}

TEST(ParseWeightedPath, SaysWhatIsWrongWithBadInput) {
    struct Row {
        const char* text;
        const char* reason;  // a part of the message
    };
    const std::array rows{
        Row{"/fast=", "a weight must follow '='"},
        Row{"/fast=0", "weight '0' is not an integer in 1..1000000"},
        Row{"/fast=-1", "weight '-1' is not an integer in 1..1000000"},
        Row{"/fast=1.5", "weight '1.5'"},
        Row{"/fast=ten", "weight 'ten'"},
        Row{"/fast=1000001", "weight '1000001'"},
        Row{"/q?a=b", "weight 'b'"},  // a path with '=' needs its weight
        Row{"fast=3", "path 'fast' does not start with '/'"},
        Row{"", "path '' does not start with '/'"},
        Row{"=3", "path '' does not start with '/'"},
        Row{"/a b", "holds a space"},
        Row{"/a\tb=2", "holds a space"},
    };
    for (const Row& row : rows) {
        const auto parsed = parse_weighted_path(row.text);
        const auto* error = std::get_if<std::string>(&parsed);
        ASSERT_NE(error, nullptr) << "'" << row.text << "' was accepted";
        EXPECT_NE(error->find(row.reason), std::string::npos) << row.text << ": " << *error;
    }
}

TEST(MixProblem, RejectsAPathGivenTwice) {
    const std::vector<WeightedPath> twice{{"/a", 1}, {"/b", 2}, {"/a", 3}};
    EXPECT_EQ(mix_problem(twice), "path '/a' is given twice");
    const std::vector<WeightedPath> distinct{{"/a", 1}, {"/b", 2}};
    EXPECT_EQ(mix_problem(distinct), std::nullopt);
}

TEST(PathStream, TheSameSeedDrawsTheSamePaths) {
    const std::vector<WeightedPath> mix{{"/a", 5}, {"/b", 3}, {"/c", 2}};
    PathStream first(mix, 7);
    PathStream again(mix, 7);
    PathStream other(mix, 8);
    int differences = 0;
    for (int i = 0; i < 1000; ++i) {
        const std::size_t path = first.next();
        EXPECT_EQ(path, again.next());
        differences += path != other.next() ? 1 : 0;
    }
    EXPECT_GT(differences, 100);
}

TEST(PathStream, FollowsTheWeights) {
    const std::vector<WeightedPath> mix{{"/fast", 90}, {"/slow", 10}};
    PathStream stream(mix, 3);
    std::map<std::size_t, int> counts;
    constexpr int kDraws = 100'000;
    for (int i = 0; i < kDraws; ++i) {
        ++counts[stream.next()];
    }
    EXPECT_NEAR(counts[0], 90'000, 600);  // about 6 standard deviations
    EXPECT_NEAR(counts[1], 10'000, 600);
}

TEST(PathStream, IsIndependentOfTheKeysOfTheSameSeed) {
    // Were the paths drawn from the keys' own sequence, every key at or above 910000 would go to
    // the 10 % path and no other key would.
    const std::vector<WeightedPath> mix{{"/fast", 90}, {"/slow", 10}};
    PathStream paths(mix, 11);
    KeyStream keys(11, KeySpace::kSixDigit);
    int slow_with_low_keys = 0;
    for (int i = 0; i < 10'000; ++i) {
        const bool slow = paths.next() == 1;
        const bool low_key = keys.next() < 910'000;
        slow_with_low_keys += slow && low_key ? 1 : 0;
    }
    EXPECT_GT(slow_with_low_keys, 500);  // about 900 expected when independent
}

}  // namespace
}  // namespace ringlb::loadgen
