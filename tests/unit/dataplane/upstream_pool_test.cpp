#include "dataplane/upstream_pool.hpp"

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

TEST(UpstreamPool, RemembersWhatItLearnedOfEachReplicasConnectionsUntilItLeaves) {
    UpstreamPool pool(4);
    auto kept = std::make_shared<Backend>("a", 1, boost::asio::ip::tcp::endpoint{}, 1);
    auto left = std::make_shared<Backend>("b", 2, boost::asio::ip::tcp::endpoint{}, 1);
    EXPECT_EQ(pool.persistence(kept->uid()), Persistence::unknown);
    pool.note_persistence(kept->uid(), Persistence::closes);
    pool.note_persistence(left->uid(), Persistence::keeps);
    EXPECT_EQ(pool.persistence(kept->uid()), Persistence::closes);
    pool.note_persistence(kept->uid(), Persistence::unknown);  // nothing new: no change
    EXPECT_EQ(pool.persistence(kept->uid()), Persistence::closes);
    RoutingSnapshot snapshot;
    snapshot.backends = {kept};
    pool.keep_only(snapshot);
    EXPECT_EQ(pool.persistence(kept->uid()), Persistence::closes);
    EXPECT_EQ(pool.persistence(left->uid()), Persistence::unknown);
    pool.note_persistence(kept->uid(), Persistence::keeps);
    EXPECT_EQ(pool.persistence(kept->uid()), Persistence::keeps);
}

std::unique_ptr<UpstreamConnection> connection_with_buffer(boost::asio::io_context& ctx) {
    auto c = connection(ctx);
    c->buffer.prepare(1024);
    return c;
}

TEST(UpstreamPool, IdleConnectionsLendTheirBuffersToTheNextExchange) {
    boost::asio::io_context ctx;
    UpstreamPool pool(4);
    const auto now = Clock::now();
    auto c = connection_with_buffer(ctx);
    auto* raw = c.get();
    pool.give_back(1, std::move(c), now);
    EXPECT_EQ(raw->buffer.capacity(), 0U);  // idle in the pool, without a buffer
    EXPECT_EQ(pool.spare_buffers(), 1U);

    auto fresh = connection(ctx);  // a new connection, as after a connect
    pool.lend_buffer(*fresh);
    EXPECT_GE(fresh->buffer.capacity(), 1024U);
    EXPECT_EQ(pool.spare_buffers(), 0U);

    auto taken = pool.take(1, now);  // no spare left: it reads into a buffer of its own later
    ASSERT_EQ(taken.get(), raw);
    EXPECT_EQ(taken->buffer.capacity(), 0U);
}

TEST(UpstreamPool, ATakenConnectionGetsASpareBuffer) {
    boost::asio::io_context ctx;
    UpstreamPool pool(4);
    const auto now = Clock::now();
    pool.give_back(1, connection_with_buffer(ctx), now);
    pool.give_back(2, connection_with_buffer(ctx), now);
    EXPECT_EQ(pool.spare_buffers(), 2U);
    auto taken = pool.take(1, now);
    ASSERT_NE(taken, nullptr);
    EXPECT_GE(taken->buffer.capacity(), 1024U);
    EXPECT_EQ(pool.spare_buffers(), 1U);
}

TEST(UpstreamPool, ABufferWithUnreadBytesStaysWithItsConnection) {
    boost::asio::io_context ctx;
    UpstreamPool pool(4);
    const auto now = Clock::now();
    auto c = connection_with_buffer(ctx);
    c->buffer.commit(5);
    auto* raw = c.get();
    pool.give_back(1, std::move(c), now);
    EXPECT_EQ(pool.spare_buffers(), 0U);
    EXPECT_EQ(raw->buffer.size(), 5U);
}

TEST(UpstreamPool, SpareBuffersAreCapped) {
    boost::asio::io_context ctx;
    UpstreamPool pool(1);  // most of these connections are dropped; their buffers are offered first
    const auto now = Clock::now();
    for (std::size_t i = 0; i < UpstreamPool::kMaxSpareBuffers + 5; ++i) {
        pool.give_back(1, connection_with_buffer(ctx), now);
    }
    EXPECT_EQ(pool.spare_buffers(), UpstreamPool::kMaxSpareBuffers);
}

}  // namespace
}  // namespace ringlb::balancer
