// The pure parts of the process driver: reading /proc's stat lines, finding a replica's
// processes, and cutting its output into lines.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "drivers/process/process_tree.hpp"
#include "drivers/process/replica_output.hpp"

namespace ringlb::drivers {
namespace {

using Lines = std::vector<std::string>;

TEST(ParseProcStat, ReadsStateAndParentPastAnyCommandName) {
    const auto plain = parse_proc_stat("123 (gunicorn) S 77 123 123 0 -1 4194560");
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->state, 'S');
    EXPECT_EQ(plain->parent, 77);
    const auto odd = parse_proc_stat("9 (a) b (c)) Z 1 9 9");
    ASSERT_TRUE(odd.has_value());
    EXPECT_EQ(odd->state, 'Z');
    EXPECT_EQ(odd->parent, 1);
    EXPECT_FALSE(parse_proc_stat("").has_value());
    EXPECT_FALSE(parse_proc_stat("12 (x)").has_value());
    EXPECT_FALSE(parse_proc_stat("12 (x) R abc").has_value());
}

TEST(Descendants, FindsTheWholeTreeParentsFirstAndNothingElse) {
    // 10 is the supervisor; 11 the command; 12, 13 its workers; 14 a grandchild; 20 a stranger.
    const ParentMap parents{{10, 1}, {11, 10}, {12, 11}, {13, 11}, {14, 13}, {20, 1}, {21, 20}};
    const std::vector<pid_t> found = descendants(parents, 10);
    EXPECT_EQ(std::set<pid_t>(found.begin(), found.end()), (std::set<pid_t>{11, 12, 13, 14}));
    const auto position = [&found](pid_t pid) {
        return std::find(found.begin(), found.end(), pid) - found.begin();
    };
    EXPECT_LT(position(11), position(12));
    EXPECT_LT(position(13), position(14));
    EXPECT_TRUE(descendants(parents, 14).empty());
    EXPECT_TRUE(descendants(parents, 99).empty());
}

TEST(Descendants, StopsOnACycleInsteadOfLooping) {
    const ParentMap parents{{2, 3}, {3, 2}};
    EXPECT_LE(descendants(parents, 2).size(), 3U);
}

TEST(LineSplitter, JoinsPiecesAndSplitsLines) {
    LineSplitter splitter(100);
    EXPECT_EQ(splitter.feed("hel"), Lines{});
    EXPECT_EQ(splitter.feed("lo\r\nwor"), Lines{"hello"});
    EXPECT_EQ(splitter.feed("ld\n\nx"), (Lines{"world", ""}));
    EXPECT_EQ(splitter.finish(), Lines{"x"});
    EXPECT_EQ(splitter.finish(), Lines{});
}

TEST(LineSplitter, CutsALineThatNeverEnds) {
    LineSplitter splitter(4);
    EXPECT_EQ(splitter.feed("abcdefghij"), (Lines{"abcd", "efgh"}));
    EXPECT_EQ(splitter.finish(), Lines{"ij"});
}

TEST(LineSplitter, ALineOfExactlyTheLimitIsOneLine) {
    LineSplitter splitter(4);
    EXPECT_EQ(splitter.feed("abcd\nefgh\r\n"), (Lines{"abcd", "efgh"}));
    EXPECT_EQ(splitter.finish(), Lines{});
}

}  // namespace
}  // namespace ringlb::drivers
