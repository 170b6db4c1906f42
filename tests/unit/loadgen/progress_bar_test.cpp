#include "loadgen/progress_bar.hpp"

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

TEST(ProgressLine, FillsInProportion) {
    const RunProgress progress{
        .completed = 50, .failed = 2, .total = 200, .elapsed = std::chrono::milliseconds(1500)};
    EXPECT_EQ(progress_line(progress, 8), "[##......] 50/200  25%  2 failed  1.5 s");
}

TEST(ProgressLine, NeverOverflowsTheBar) {
    const RunProgress done{.completed = 10, .failed = 0, .total = 10, .elapsed = {}};
    EXPECT_EQ(progress_line(done, 4), "[####] 10/10 100%  0 failed  0.0 s");
    const RunProgress empty{.completed = 0, .failed = 0, .total = 0, .elapsed = {}};
    EXPECT_EQ(progress_line(empty, 4), "[####] 0/0 100%  0 failed  0.0 s");
}

}  // namespace
}  // namespace ringlb::loadgen
