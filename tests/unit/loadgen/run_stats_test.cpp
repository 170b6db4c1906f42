#include "loadgen/run_stats.hpp"

#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

std::vector<nanoseconds> millis(std::initializer_list<int> values) {
    std::vector<nanoseconds> out;
    for (const int value : values) {
        out.emplace_back(milliseconds(value));
    }
    return out;
}

TEST(Percentile, IsTheNearestRank) {
    const auto sorted = millis({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    EXPECT_EQ(percentile(sorted, 0.5), milliseconds(5));
    EXPECT_EQ(percentile(sorted, 0.9), milliseconds(9));
    EXPECT_EQ(percentile(sorted, 0.91), milliseconds(10));
    EXPECT_EQ(percentile(sorted, 1.0), milliseconds(10));
    EXPECT_EQ(percentile(sorted, 0.01), milliseconds(1));
    EXPECT_EQ(percentile(millis({7}), 0.99), milliseconds(7));
}

TEST(Summarize, SortsAndSummarizes) {
    std::vector<nanoseconds> samples;
    for (int i = 100; i >= 1; --i) {
        samples.emplace_back(milliseconds(i));
    }
    const LatencySummary summary = summarize(samples);
    EXPECT_EQ(summary.count, 100U);
    EXPECT_EQ(summary.p50, milliseconds(50));
    EXPECT_EQ(summary.p90, milliseconds(90));
    EXPECT_EQ(summary.p99, milliseconds(99));
    EXPECT_EQ(summary.p999, milliseconds(100));
    EXPECT_EQ(summary.max, milliseconds(100));
    EXPECT_EQ(summary.mean, std::chrono::microseconds(50'500));
}

TEST(Summarize, PointNineNineNineIsTheNearestRankOfAThousand) {
    std::vector<nanoseconds> samples;
    for (int i = 1; i <= 2000; ++i) {
        samples.emplace_back(std::chrono::microseconds(i));
    }
    const LatencySummary summary = summarize(samples);
    EXPECT_EQ(summary.p99, std::chrono::microseconds(1980));
    EXPECT_EQ(summary.p999, std::chrono::microseconds(1998));
    EXPECT_EQ(summary.max, std::chrono::microseconds(2000));
}

TEST(Summarize, IsAllZeroWithoutSamples) {
    const LatencySummary summary = summarize({});
    EXPECT_EQ(summary.count, 0U);
    EXPECT_EQ(summary.max, nanoseconds(0));
}

TEST(RunStats, CountsAnswersPerReplicaAndFailuresByKind) {
    RunStats stats;
    const nanoseconds at(0);
    const nanoseconds latency = milliseconds(1);
    stats.record_answer(at, latency, 200, 1);
    stats.record_answer(at, latency, 200, 2);
    stats.record_answer(at, latency, 200, 2);
    stats.record_answer(at, latency, 200, std::nullopt);
    stats.record_answer(at, latency, 502, std::nullopt);
    stats.record_answer(at, latency, 404, 3);  // a failure even if the body named a server
    stats.record_error(at, ErrorKind::kTimeout);
    stats.record_error(at, ErrorKind::kConnect);
    stats.record_error(at, ErrorKind::kConnect);

    EXPECT_EQ(stats.completed(), 9U);
    EXPECT_EQ(stats.succeeded(), 4U);
    EXPECT_EQ(stats.failed(), 5U);
    EXPECT_EQ(stats.unattributed(), 1U);
    EXPECT_EQ(stats.replicas(), (std::map<std::uint32_t, std::uint64_t>{{1, 1}, {2, 2}}));
    EXPECT_EQ(stats.errors(),
              (std::map<std::string, std::uint64_t>{
                  {"connect", 2}, {"http_404", 1}, {"http_502", 1}, {"timeout", 1}}));
    EXPECT_EQ(stats.statuses(), (std::map<unsigned, std::uint64_t>{{200, 4}, {404, 1}, {502, 1}}));
    // Latency covers every answer, not transport failures.
    EXPECT_EQ(stats.latency().count, 6U);
    EXPECT_TRUE(stats.timeline().empty());
}

TEST(RunStats, CountsEachPathApartAndAllTogether) {
    RunStats stats;
    const nanoseconds at(0);
    stats.record_answer(at, milliseconds(1), 200, 1, 0);
    stats.record_answer(at, milliseconds(2), 200, 1, 0);
    stats.record_answer(at, milliseconds(300), 200, 2, 2);
    stats.record_answer(at, milliseconds(400), 504, std::nullopt, 2);
    stats.record_error(at, ErrorKind::kTimeout, 2);

    EXPECT_EQ(stats.path(0).completed, 2U);
    EXPECT_EQ(stats.path(0).failed, 0U);
    EXPECT_TRUE(stats.path(0).errors.empty());
    EXPECT_EQ(stats.path_latency(0).max, milliseconds(2));
    // A path no request went to counts nothing.
    EXPECT_EQ(stats.path(1).completed, 0U);
    EXPECT_EQ(stats.path_latency(1).count, 0U);
    EXPECT_EQ(stats.path(7).completed, 0U);
    EXPECT_EQ(stats.path(2).completed, 3U);
    EXPECT_EQ(stats.path(2).succeeded(), 1U);
    EXPECT_EQ(stats.path(2).failed, 2U);
    EXPECT_EQ(stats.path(2).errors,
              (std::map<std::string, std::uint64_t>{{"http_504", 1}, {"timeout", 1}}));
    EXPECT_EQ(stats.path_latency(2).count, 2U);
    EXPECT_EQ(stats.path_latency(2).p50, milliseconds(300));
    // The overall figures are over every path's answers.
    const LatencySummary all = stats.latency();
    EXPECT_EQ(all.count, 4U);
    EXPECT_EQ(all.p50, milliseconds(2));
    EXPECT_EQ(all.max, milliseconds(400));
    EXPECT_EQ(stats.completed(), stats.path(0).completed + stats.path(2).completed);
}

TEST(RunStats, TimelineBucketsByCompletionTime) {
    RunStats stats(milliseconds(250));
    stats.record_answer(milliseconds(10), milliseconds(1), 200, 1);
    stats.record_answer(milliseconds(249), milliseconds(1), 200, 2);
    stats.record_answer(milliseconds(250), milliseconds(1), 200, 2);
    stats.record_error(milliseconds(900), ErrorKind::kClosed);
    stats.record_answer(milliseconds(999), milliseconds(1), 200, std::nullopt);

    ASSERT_EQ(stats.timeline().size(), 4U);
    EXPECT_EQ(stats.timeline()[0].replicas,
              (std::map<std::uint32_t, std::uint64_t>{{1, 1}, {2, 1}}));
    EXPECT_EQ(stats.timeline()[1].replicas, (std::map<std::uint32_t, std::uint64_t>{{2, 1}}));
    EXPECT_TRUE(stats.timeline()[2].replicas.empty());
    EXPECT_EQ(stats.timeline()[3].failed, 1U);
    EXPECT_EQ(stats.timeline()[3].unattributed, 1U);
}

TEST(RunStats, TimelineCountsAddUpToTheTotals) {
    RunStats stats(milliseconds(100));
    for (int i = 0; i < 1000; ++i) {
        const nanoseconds at = std::chrono::microseconds(i * 997 % 2000 * 1000);
        if (i % 7 == 0) {
            stats.record_error(at, ErrorKind::kTimeout);
        } else {
            stats.record_answer(at, milliseconds(1), 200, static_cast<std::uint32_t>(i % 3 + 1));
        }
    }
    std::uint64_t answered = 0;
    std::uint64_t failed = 0;
    for (const TimelineBucket& bucket : stats.timeline()) {
        for (const auto& [id, count] : bucket.replicas) {
            answered += count;
        }
        failed += bucket.failed;
    }
    EXPECT_EQ(answered, stats.succeeded());
    EXPECT_EQ(failed, stats.failed());
}

}  // namespace
}  // namespace ringlb::loadgen
