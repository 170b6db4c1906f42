#include "loadgen/open_loop.hpp"

#include <array>

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ScheduledOffset, SpacesRequestsByOneOverTheRate) {
    struct Row {
        std::uint64_t index;
        double rate;
        nanoseconds expected;
    };
    const std::array rows{
        Row{0, 100.0, nanoseconds(0)},
        Row{1, 100.0, milliseconds(10)},
        Row{250, 100.0, milliseconds(2'500)},
        Row{1, 3.0, nanoseconds(333'333'333)},
        Row{2, 3.0, nanoseconds(666'666'667)},  // rounded to the nearest nanosecond
        Row{3, 3.0, seconds(1)},
        Row{7, 0.5, seconds(14)},
        Row{1'000'000, 1e6, seconds(1)},
        Row{100'000'000, 0.001, kFarOffset},  // capped, far past any run
    };
    for (const Row& row : rows) {
        EXPECT_EQ(scheduled_offset(row.index, row.rate), row.expected)
            << row.index << " at " << row.rate << "/s";
    }
}

TEST(DueCount, CountsTheRequestsScheduledByThen) {
    struct Row {
        nanoseconds elapsed;
        double rate;
        std::uint64_t total;
        std::uint64_t expected;
    };
    const std::array rows{
        Row{nanoseconds(0), 100.0, 1000, 1},  // the first is due at the start
        Row{milliseconds(10) - nanoseconds(1), 100.0, 1000, 1},
        Row{milliseconds(10), 100.0, 1000, 2},
        Row{milliseconds(995), 100.0, 1000, 100},
        Row{seconds(60), 100.0, 1000, 1000},  // never more than the run holds
        Row{nanoseconds(-1), 100.0, 1000, 0},
        Row{seconds(1), 100.0, 0, 0},
        Row{nanoseconds(666'666'666), 3.0, 10, 2},
        Row{nanoseconds(666'666'667), 3.0, 10, 3},
    };
    for (const Row& row : rows) {
        EXPECT_EQ(due_count(row.elapsed, row.rate, row.total), row.expected)
            << row.elapsed.count() << " ns at " << row.rate << "/s";
    }
}

TEST(DueCount, AgreesWithScheduledOffsetAtEveryEdge) {
    for (const double rate : {1.0, 3.0, 7.0, 1000.0, 12'345.6, 1e6}) {
        for (std::uint64_t i = 1; i < 2'000; i += 37) {
            const nanoseconds at = scheduled_offset(i, rate);
            EXPECT_EQ(due_count(at, rate, 10'000), i + 1) << i << " at " << rate;
            EXPECT_EQ(due_count(at - nanoseconds(1), rate, 10'000), i) << i << " at " << rate;
        }
    }
}

TEST(Lateness, CountsTheWaitsAndKeepsTheLongest) {
    Lateness lateness;
    EXPECT_EQ(lateness.late, 0U);
    EXPECT_EQ(lateness.worst, nanoseconds(0));
    lateness.record(milliseconds(10), milliseconds(12));
    lateness.record(milliseconds(20), milliseconds(45));
    lateness.record(milliseconds(30), milliseconds(31));
    EXPECT_EQ(lateness.late, 3U);
    EXPECT_EQ(lateness.worst, milliseconds(25));
}

TEST(Lateness, ATakeBeforeTheScheduleIsNoWait) {
    Lateness lateness;
    lateness.record(milliseconds(10), milliseconds(9));
    EXPECT_EQ(lateness.late, 1U);
    EXPECT_EQ(lateness.worst, nanoseconds(0));
    lateness.record(milliseconds(10), milliseconds(10) + microseconds(3));
    EXPECT_EQ(lateness.worst, microseconds(3));
}

}  // namespace
}  // namespace ringlb::loadgen
