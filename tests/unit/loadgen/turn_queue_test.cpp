#include "loadgen/turn_queue.hpp"

#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

namespace asio = boost::asio;

// What one connection took, in order: (index, waited); it stops at the first nothing.
asio::awaitable<void> take_all(TurnQueue& queue, std::vector<std::pair<std::uint64_t, bool>>& out,
                               bool& done) {
    while (auto taken = co_await queue.take()) {
        out.emplace_back(taken->turn.index, taken->waited);
    }
    done = true;
}

Turn turn(std::uint64_t index) {
    return Turn{.index = index};
}

TEST(TurnQueue, AWaitingConnectionGetsTheTurnStraightAway) {
    asio::io_context ctx;
    TurnQueue queue;
    std::vector<std::pair<std::uint64_t, bool>> taken;
    bool done = false;
    asio::co_spawn(ctx, take_all(queue, taken, done), asio::detached);
    ctx.poll();  // the connection is parked now
    queue.give(turn(0));
    ctx.poll();
    queue.give(turn(1));
    ctx.poll();
    queue.close();
    ctx.run();
    EXPECT_EQ(taken, (std::vector<std::pair<std::uint64_t, bool>>{{0, false}, {1, false}}));
    EXPECT_TRUE(done);
    EXPECT_EQ(queue.waiting_turns(), 0U);
}

TEST(TurnQueue, TurnsGivenWhileNoConnectionWaitsAreTakenInOrderAsLate) {
    asio::io_context ctx;
    TurnQueue queue;
    queue.give(turn(0));
    queue.give(turn(1));
    queue.give(turn(2));
    EXPECT_EQ(queue.waiting_turns(), 3U);
    queue.close();  // what was given before the close is still taken
    std::vector<std::pair<std::uint64_t, bool>> taken;
    bool done = false;
    asio::co_spawn(ctx, take_all(queue, taken, done), asio::detached);
    ctx.run();
    EXPECT_EQ(taken,
              (std::vector<std::pair<std::uint64_t, bool>>{{0, true}, {1, true}, {2, true}}));
    EXPECT_TRUE(done);
}

TEST(TurnQueue, EachTurnGoesToOneConnectionAndCloseReleasesTheRest) {
    asio::io_context ctx;
    TurnQueue queue;
    std::vector<std::pair<std::uint64_t, bool>> first;
    std::vector<std::pair<std::uint64_t, bool>> second;
    bool first_done = false;
    bool second_done = false;
    asio::co_spawn(ctx, take_all(queue, first, first_done), asio::detached);
    asio::co_spawn(ctx, take_all(queue, second, second_done), asio::detached);
    ctx.poll();
    queue.give(turn(0));  // to the connection that parked first
    queue.give(turn(1));  // to the other one
    queue.give(turn(2));  // nobody waits: kept
    EXPECT_EQ(queue.waiting_turns(), 1U);
    ctx.poll();
    EXPECT_EQ(queue.waiting_turns(), 0U);
    queue.close();
    ctx.run();
    EXPECT_TRUE(first_done);
    EXPECT_TRUE(second_done);
    EXPECT_EQ(first, (std::vector<std::pair<std::uint64_t, bool>>{{0, false}, {2, true}}));
    EXPECT_EQ(second, (std::vector<std::pair<std::uint64_t, bool>>{{1, false}}));
}

}  // namespace
}  // namespace ringlb::loadgen
