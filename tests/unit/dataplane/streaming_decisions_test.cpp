#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dataplane/client_framing.hpp"
#include "net/body_mode.hpp"

namespace ringlb::balancer {
namespace {

TEST(BodyModeTest, FollowsTheTable) {
    struct Row {
        std::string name;
        net::BodyShape shape;
        net::BodyMode expected;
    };
    const std::vector<Row> rows = {
        {"complete, no length (chunked, all read)", {true, std::nullopt}, net::BodyMode::buffered},
        {"complete, large length", {true, net::kMaxBufferedBody * 4}, net::BodyMode::buffered},
        {"small length, more to come", {false, 100}, net::BodyMode::buffered},
        {"length at the limit", {false, net::kMaxBufferedBody}, net::BodyMode::buffered},
        {"length past the limit", {false, net::kMaxBufferedBody + 1}, net::BodyMode::stream},
        {"chunked, more to come", {false, std::nullopt}, net::BodyMode::stream},
        {"empty length", {false, 0}, net::BodyMode::buffered},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(net::body_mode(row.shape), row.expected) << row.name;
    }
}

TEST(RequestBodyModeTest, GathersASmallChunkedBodyAndStreamsTheRest) {
    struct Row {
        std::string name;
        std::optional<std::uint64_t> length;
        std::uint64_t received;
        net::BodyMode expected;
    };
    const std::vector<Row> rows = {
        {"small length", 100, 0, net::BodyMode::buffered},
        {"length at the limit", net::kMaxBufferedBody, 0, net::BodyMode::buffered},
        {"large length, nothing read", net::kMaxBufferedBody + 1, 0, net::BodyMode::stream},
        {"chunked, nothing read", std::nullopt, 0, net::BodyMode::buffered},
        {"chunked, at the limit", std::nullopt, net::kMaxBufferedBody, net::BodyMode::buffered},
        {"chunked, past the limit", std::nullopt, net::kMaxBufferedBody + 1, net::BodyMode::stream},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(net::request_body_mode(row.length, row.received), row.expected) << row.name;
    }
}

TEST(ClientFramingTest, FollowsTheTable) {
    struct Row {
        std::string name;
        std::optional<std::uint64_t> length;
        unsigned minor;
        ClientFraming expected;
    };
    const std::vector<Row> rows = {
        {"length, HTTP/1.1", 1000, 1, ClientFraming::content_length},
        {"length, HTTP/1.0", 1000, 0, ClientFraming::content_length},
        {"no length, HTTP/1.1", std::nullopt, 1, ClientFraming::chunked},
        {"no length, HTTP/1.0", std::nullopt, 0, ClientFraming::close},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(client_framing(row.length, row.minor), row.expected) << row.name;
    }
}

TEST(SpliceFitsTest, FollowsTheTable) {
    struct Row {
        std::string name;
        ClientFraming framing;
        std::optional<std::uint64_t> remaining;
        std::size_t unparsed;
        bool expected;
    };
    const std::vector<Row> rows = {
        {"a long length-framed rest", ClientFraming::content_length, kMinSplice, 0, true},
        {"shorter than a pipe is worth", ClientFraming::content_length, kMinSplice - 1, 0, false},
        {"bytes already read wait first", ClientFraming::content_length, kMinSplice, 1, false},
        {"length unknown", ClientFraming::content_length, std::nullopt, 0, false},
        {"chunked for the client", ClientFraming::chunked, kMinSplice, 0, false},
        {"until the close for the client", ClientFraming::close, kMinSplice, 0, false},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(splice_fits(row.framing, row.remaining, row.unparsed), row.expected) << row.name;
    }
}

}  // namespace
}  // namespace ringlb::balancer
