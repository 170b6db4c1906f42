#include "balancer/upstream_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

using Clock = UpstreamPool::Clock;

std::unique_ptr<UpstreamConnection> connection(boost::asio::io_context& ctx) {
    return std::make_unique<UpstreamConnection>(boost::asio::ip::tcp::socket(ctx));
}

TEST(UpstreamPool, ReturnsMostRecentlyUsedFirstAndRespectsTheCap) {
    boost::asio::io_context ctx;
    UpstreamPool pool(2);
    const auto now = Clock::now();
    auto first = connection(ctx);
    auto second = connection(ctx);
    auto* second_raw = second.get();
    pool.give_back(7, std::move(first), now);
    pool.give_back(7, std::move(second), now);
    pool.give_back(7, connection(ctx), now);  // over the cap: dropped
    EXPECT_EQ(pool.idle_count(), 2U);
    EXPECT_EQ(pool.take(7, now).get(), second_raw);
    EXPECT_EQ(pool.take(8, now), nullptr);
}

TEST(UpstreamPool, OldConnectionsAreNotReused) {
    boost::asio::io_context ctx;
    UpstreamPool pool(4);
    const auto then = Clock::now();
    pool.give_back(1, connection(ctx), then);
    EXPECT_EQ(pool.take(1, then + UpstreamPool::kMaxIdleAge), nullptr);
    EXPECT_EQ(pool.idle_count(), 0U);
}

TEST(UpstreamPool, KeepOnlyDropsReplicasThatLeft) {
    boost::asio::io_context ctx;
    UpstreamPool pool(4);
    const auto now = Clock::now();
    auto kept = std::make_shared<Backend>("a", 1, boost::asio::ip::tcp::endpoint{}, 1);
    pool.give_back(kept->uid(), connection(ctx), now);
    pool.give_back(kept->uid() + 1000, connection(ctx), now);
    RoutingSnapshot snapshot;
    snapshot.backends = {kept, nullptr};
    pool.keep_only(snapshot);
    EXPECT_EQ(pool.idle_count(), 1U);
    EXPECT_NE(pool.take(kept->uid(), now), nullptr);
}

}  // namespace
}  // namespace ringlb::balancer
