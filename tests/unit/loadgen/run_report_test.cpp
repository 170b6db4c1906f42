#include "loadgen/run_report.hpp"

#include <sstream>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

RunReport sample_report(milliseconds timeline_interval) {
    RunReport report;
    report.url = "http://127.0.0.1:5000/home";
    report.params.requests = 5;
    report.params.concurrency = 2;
    report.params.ids.seed = 9;
    report.params.timeline_interval = timeline_interval;
    report.result.address = "127.0.0.1:5000";
    report.result.sent = 5;
    report.result.elapsed = milliseconds(500);
    report.result.stats = RunStats(timeline_interval);
    RunStats& stats = report.result.stats;
    stats.record_answer(milliseconds(100), milliseconds(2), 200, 1);
    stats.record_answer(milliseconds(200), milliseconds(4), 200, 2);
    stats.record_answer(milliseconds(300), milliseconds(6), 200, 2);
    stats.record_answer(milliseconds(400), milliseconds(8), 503, std::nullopt);
    stats.record_error(milliseconds(450), ErrorKind::kTimeout);
    return report;
}

json::object json_of(const RunReport& report) {
    std::ostringstream out;
    print_run_json(out, report);
    return json::parse(out.str()).as_object();
}

TEST(PrintRunJson, HoldsTheCountsAndTheyAddUp) {
    const json::object object = json_of(sample_report(milliseconds(0)));
    EXPECT_EQ(object.at("completed").to_number<int>(), 5);
    EXPECT_EQ(object.at("succeeded").to_number<int>(), 3);
    EXPECT_EQ(object.at("failed").to_number<int>(), 2);
    EXPECT_EQ(object.at("replicas"), (json::object{{"1", 1}, {"2", 2}}));
    EXPECT_EQ(object.at("errors"), (json::object{{"http_503", 1}, {"timeout", 1}}));
    EXPECT_EQ(object.at("statuses"), (json::object{{"200", 3}, {"503", 1}}));
    EXPECT_EQ(object.at("seed").to_number<int>(), 9);
    EXPECT_EQ(object.at("request_ids"), "random");
    EXPECT_DOUBLE_EQ(object.at("elapsed_seconds").to_number<double>(), 0.5);
    EXPECT_DOUBLE_EQ(object.at("requests_per_second").to_number<double>(), 10.0);
    const json::object& latency = object.at("latency_ms").as_object();
    EXPECT_EQ(latency.at("count").to_number<int>(), 4);
    EXPECT_DOUBLE_EQ(latency.at("p50").to_number<double>(), 4.0);
    EXPECT_DOUBLE_EQ(latency.at("max").to_number<double>(), 8.0);
    EXPECT_DOUBLE_EQ(latency.at("mean").to_number<double>(), 5.0);
    EXPECT_TRUE(object.at("timeline").is_null());
    EXPECT_EQ(object.at("open_loop"), false);
    EXPECT_TRUE(object.at("lateness").is_null());
}

// Two paths: /fast (weight 9) got three answers, /slow (weight 1) one answer and one timeout.
RunReport mixed_report(bool open_loop) {
    RunReport report = sample_report(milliseconds(0));
    report.params.paths = {{"/fast", 9}, {"/slow", 1}};
    report.params.rate = 100;
    report.params.open_loop = open_loop;
    report.result.lateness = {.late = 2, .worst = std::chrono::microseconds(12'500)};
    RunStats& stats = report.result.stats;
    stats = RunStats();
    stats.record_answer(milliseconds(100), milliseconds(1), 200, 1, 0);
    stats.record_answer(milliseconds(100), milliseconds(2), 200, 1, 0);
    stats.record_answer(milliseconds(100), milliseconds(3), 200, 2, 0);
    stats.record_answer(milliseconds(100), milliseconds(40), 200, 2, 1);
    stats.record_error(milliseconds(100), ErrorKind::kTimeout, 1);
    return report;
}

TEST(PrintRunJson, HoldsTheFiguresOfEachPath) {
    const json::object object = json_of(mixed_report(false));
    const json::array& paths = object.at("paths").as_array();
    ASSERT_EQ(paths.size(), 2U);
    const json::object& fast = paths[0].as_object();
    EXPECT_EQ(fast.at("path"), "/fast");
    EXPECT_EQ(fast.at("weight").to_number<int>(), 9);
    EXPECT_EQ(fast.at("count").to_number<int>(), 3);
    EXPECT_EQ(fast.at("failed").to_number<int>(), 0);
    EXPECT_EQ(fast.at("errors"), json::object{});
    const json::object& fast_latency = fast.at("latency_ms").as_object();
    EXPECT_DOUBLE_EQ(fast_latency.at("p50").to_number<double>(), 2.0);
    EXPECT_DOUBLE_EQ(fast_latency.at("p99_9").to_number<double>(), 3.0);
    EXPECT_DOUBLE_EQ(fast_latency.at("max").to_number<double>(), 3.0);
    const json::object& slow = paths[1].as_object();
    EXPECT_EQ(slow.at("path"), "/slow");
    EXPECT_EQ(slow.at("count").to_number<int>(), 2);
    EXPECT_EQ(slow.at("succeeded").to_number<int>(), 1);
    EXPECT_EQ(slow.at("failed").to_number<int>(), 1);
    EXPECT_EQ(slow.at("errors"), (json::object{{"timeout", 1}}));
    EXPECT_DOUBLE_EQ(slow.at("latency_ms").at("p90").to_number<double>(), 40.0);
    // The overall figures stay, over both paths.
    EXPECT_DOUBLE_EQ(object.at("latency_ms").at("max").to_number<double>(), 40.0);
    EXPECT_EQ(object.at("latency_ms").at("count").to_number<int>(), 4);
    // A closed loop has no lateness, even with a rate.
    EXPECT_TRUE(object.at("lateness").is_null());
}

TEST(PrintRunJson, WithoutAMixTheURLsPathIsTheOnlyOne) {
    const json::object object = json_of(sample_report(milliseconds(0)));
    const json::array& paths = object.at("paths").as_array();
    ASSERT_EQ(paths.size(), 1U);
    EXPECT_EQ(paths[0].at("path"), "/");  // the report's params hold a default URL
    EXPECT_EQ(paths[0].at("count").to_number<int>(), 5);
}

TEST(PrintRunJson, ReportsTheOpenLoopsLateness) {
    const json::object object = json_of(mixed_report(true));
    EXPECT_EQ(object.at("open_loop"), true);
    const json::object& lateness = object.at("lateness").as_object();
    EXPECT_EQ(lateness.at("late").to_number<int>(), 2);
    EXPECT_DOUBLE_EQ(lateness.at("worst_ms").to_number<double>(), 12.5);
}

TEST(PrintRunJson, IncludesTheTimelineWhenRecorded) {
    const json::object object = json_of(sample_report(milliseconds(250)));
    const json::object& timeline = object.at("timeline").as_object();
    EXPECT_DOUBLE_EQ(timeline.at("interval_seconds").to_number<double>(), 0.25);
    const json::array& buckets = timeline.at("buckets").as_array();
    ASSERT_EQ(buckets.size(), 2U);
    EXPECT_EQ(buckets[0].at("replicas"), (json::object{{"1", 1}, {"2", 1}}));
    EXPECT_DOUBLE_EQ(buckets[1].at("start_seconds").to_number<double>(), 0.25);
    EXPECT_EQ(buckets[1].at("replicas"), (json::object{{"2", 1}}));
    EXPECT_EQ(buckets[1].at("failed").to_number<int>(), 2);
}

TEST(PrintRunText, SummarizesForPeople) {
    std::ostringstream out;
    print_run_text(out, sample_report(milliseconds(0)));
    const std::string text = out.str();
    EXPECT_NE(text.find("5 of 5 requests over 2 connections"), std::string::npos) << text;
    EXPECT_NE(text.find("3 succeeded, 2 failed"), std::string::npos) << text;
    EXPECT_NE(text.find("     2          2   66.67%"), std::string::npos) << text;
    EXPECT_NE(text.find("failures  http_503 1, timeout 1"), std::string::npos) << text;
    EXPECT_NE(text.find("p99.9 8.000 ms"), std::string::npos) << text;
    // One path: no table of paths, no open loop.
    EXPECT_EQ(text.find("path\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("open loop"), std::string::npos) << text;
}

TEST(PrintRunText, ShowsEachPathAndTheLateness) {
    std::ostringstream out;
    print_run_text(out, mixed_report(true));
    const std::string text = out.str();
    EXPECT_NE(text.find("     9          3        0    2.000    3.000    3.000    3.000    3.000  "
                        "/fast\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("     1          2        1   40.000   40.000   40.000   40.000   40.000  "
                        "/slow\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("open loop at 100 req/s"), std::string::npos) << text;
    EXPECT_NE(text.find("2 requests waited for a connection, the longest 12.500 ms"),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace ringlb::loadgen
