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
}

}  // namespace
}  // namespace ringlb::loadgen
