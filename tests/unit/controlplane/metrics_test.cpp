#include "controlplane/metrics.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "hashing/build_table.hpp"

namespace ringlb::balancer {
namespace {

using tcp = boost::asio::ip::tcp;

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t found = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++found;
    }
    return found;
}

// Two members: server-1 is running, with counts on two workers; member 2's replica restarts.
RoutingSnapshot two_members() {
    RoutingSnapshot snapshot;
    const std::vector<hashing::Member> members = {{1, 1}, {2, 1}};
    snapshot.table = hashing::build_table(hashing::Config{}, members);
    auto running = std::make_shared<Backend>(
        "server-1", 1, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 5001), 2);
    running->set_up(true);
    running->counters(0).observe(700);        // 0.0007 s: from the le="0.001" bucket on
    running->counters(1).observe(3'000'000);  // 3 s: only in le="+Inf"
    running->counters(1).failures.add(2);
    snapshot.backends = {running, nullptr};
    snapshot.names = {"server-1"};
    snapshot.restarts = {0, 3};
    return snapshot;
}

TEST(Metrics, WithoutATableOnlyTheBuildAndTheReplicaCount) {
    RoutingSnapshot snapshot;
    snapshot.names = {"a", "b"};
    const std::string text = render_metrics(snapshot);
    EXPECT_TRUE(text.starts_with("# HELP ringlb_build_info ")) << text;
    EXPECT_TRUE(text.ends_with("\n# TYPE ringlb_replicas gauge\nringlb_replicas 2\n")) << text;
}

TEST(Metrics, ReplicaStateRestartsAndSharesPerMember) {
    const std::string text = render_metrics(two_members());
    EXPECT_TRUE(has_line(text, R"(ringlb_replica_up{replica="server-1",id="1"} 1)")) << text;
    EXPECT_EQ(count(text, "ringlb_replica_up{"), 1U) << "no line for a restarting replica";
    EXPECT_TRUE(has_line(text, R"(ringlb_replica_restarts_total{id="1"} 0)")) << text;
    EXPECT_TRUE(has_line(text, R"(ringlb_replica_restarts_total{id="2"} 3)")) << text;
    EXPECT_EQ(count(text, "\nringlb_ring_share{id=\"1\"} 0."), 1U) << text;
    EXPECT_EQ(count(text, "\nringlb_ring_share{id=\"2\"} 0."), 1U) << text;
}

TEST(Metrics, CountersAreSummedOverWorkers) {
    const std::string text = render_metrics(two_members());
    const std::string labels = R"({replica="server-1",id="1")";
    for (const std::string& line : {
             "ringlb_requests_total" + labels + "} 2",
             "ringlb_request_failures_total" + labels + "} 2",
             "ringlb_request_duration_seconds_bucket" + labels + R"(,le="0.0005"} 0)",
             "ringlb_request_duration_seconds_bucket" + labels + R"(,le="0.001"} 1)",
             "ringlb_request_duration_seconds_bucket" + labels + R"(,le="2.5"} 1)",
             "ringlb_request_duration_seconds_bucket" + labels + R"(,le="+Inf"} 2)",
             "ringlb_request_duration_seconds_sum" + labels + "} 3.0007",
             "ringlb_request_duration_seconds_count" + labels + "} 2",
         }) {
        EXPECT_TRUE(has_line(text, line)) << line << "\nin:\n" << text;
    }
    EXPECT_EQ(count(text, "ringlb_request_duration_seconds_bucket{"), 13U);
}

TEST(Metrics, EachFamilyIsTypedOnceBeforeItsSamples) {
    const std::string text = render_metrics(two_members());
    for (const std::string family :
         {"ringlb_replicas", "ringlb_replica_up", "ringlb_replica_restarts_total",
          "ringlb_ring_share", "ringlb_requests_total", "ringlb_request_failures_total",
          "ringlb_request_duration_seconds"}) {
        const std::string type = "\n# TYPE " + family + " ";
        EXPECT_EQ(count(text, type), 1U) << family;
        const auto type_at = text.find(type);
        ASSERT_NE(type_at, std::string::npos) << family;
        const auto help_at = text.rfind("\n# HELP " + family + " ", type_at);
        EXPECT_NE(help_at, std::string::npos) << family;
        EXPECT_EQ(help_at, text.rfind("\n# HELP ", type_at))
            << family << ": HELP right before TYPE";
        // Sample lines go on after the name with '{', ' ', or '_' (a histogram's series).
        const std::string before = text.substr(0, type_at);
        for (const char next : {'{', ' ', '_'}) {
            EXPECT_EQ(count(before, "\n" + family + next), 0U) << family << " sampled before TYPE";
        }
        EXPECT_NE(text.find("\n" + family, type_at + type.size()), std::string::npos) << family;
    }
}

}  // namespace
}  // namespace ringlb::balancer
