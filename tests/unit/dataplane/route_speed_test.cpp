#include "dataplane/route_speed.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

namespace http = boost::beast::http;

constexpr Micros kQuick{2000};

TEST(ObserveAnswerTest, FollowsTheTable) {
    struct Row {
        std::string name;
        std::uint32_t before;
        std::optional<Micros> answered_in;
        std::uint32_t after;
    };
    const std::vector<Row> rows = {
        {"a quick answer adds one", 5, Micros{100}, 6},
        {"exactly the limit is quick", 5, kQuick, 6},
        {"a slow answer starts over", 40, kQuick + Micros{1}, 0},
        {"no answer starts over", 40, std::nullopt, 0},
        {"the first quick answer", 0, Micros{1}, 1},
        {"the count stops at its cap", 1U << 20, Micros{1}, 1U << 20},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(observe_answer(RouteSpeed{row.before}, row.answered_in, kQuick).quick_in_a_row,
                  row.after)
            << row.name;
    }
}

TEST(QuickLimitTest, IsTheFloorOrFourTimesTheTypicalAnswer) {
    EXPECT_EQ(quick_limit(kQuick, Micros{0}), kQuick);
    EXPECT_EQ(quick_limit(kQuick, Micros{400}), kQuick);
    EXPECT_EQ(quick_limit(kQuick, Micros{500}), kQuick);
    EXPECT_EQ(quick_limit(kQuick, Micros{16'000}), Micros{64'000});
    EXPECT_EQ(quick_limit(Micros{0}, Micros{0}), Micros{0});
}

TEST(NextTypicalTest, FollowsTheTable) {
    struct Row {
        std::string name;
        Micros typical;
        Micros answered_in;
        Micros expected;
    };
    const std::vector<Row> rows = {
        {"the first answer is the estimate", Micros{0}, Micros{700}, Micros{700}},
        {"a slower answer moves it up a 32nd", Micros{3200}, Micros{1'000'000}, Micros{3301}},
        {"a quicker answer moves it down a 32nd", Micros{3200}, Micros{10}, Micros{3099}},
        {"never past the answer itself", Micros{3200}, Micros{3250}, Micros{3250}},
        {"an equal answer keeps it", Micros{3200}, Micros{3200}, Micros{3200}},
        {"small values still move", Micros{5}, Micros{100}, Micros{6}},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(next_typical(row.typical, row.answered_in), row.expected) << row.name;
    }
}

TEST(NextTypicalTest, SettlesNearTheMedian) {
    Micros typical{0};
    // 60 % at 1 ms, 40 % at 100 ms, interleaved: the median is 1 ms.
    for (int i = 0; i < 2000; ++i) {
        typical = next_typical(typical, i % 5 < 3 ? Micros{1000} : Micros{100'000});
    }
    EXPECT_LE(typical, Micros{1100});
}

TEST(MayBatchTest, FollowsTheTable) {
    const RouteSpeed quick{kQuickInARow};
    const RouteSpeed not_yet{kQuickInARow - 1};
    struct Row {
        std::string name;
        BatchInputs in;
        bool expected;
    };
    const std::vector<Row> rows = {
        {"an idempotent request on a quick route", {true, false, false, quick}, true},
        {"a route not yet shown quick often enough", {true, false, false, not_yet}, false},
        {"a route never seen", {true, false, false, RouteSpeed{}}, false},
        {"not idempotent", {false, false, false, quick}, false},
        {"its body streams", {true, true, false, quick}, false},
        {"it asks for an upgrade", {true, false, true, quick}, false},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(may_batch(row.in), row.expected) << row.name;
    }
}

TEST(RouteSpeedsTest, ARouteIsItsReplicaMethodAndPathWithoutTheQuery) {
    const auto key = RouteSpeeds::route_key(7, http::verb::get, "/items");
    EXPECT_EQ(RouteSpeeds::route_key(7, http::verb::get, "/items?page=2"), key);
    EXPECT_NE(RouteSpeeds::route_key(8, http::verb::get, "/items"), key);
    EXPECT_NE(RouteSpeeds::route_key(7, http::verb::head, "/items"), key);
    EXPECT_NE(RouteSpeeds::route_key(7, http::verb::get, "/items/1"), key);
}

TEST(RouteSpeedsTest, RemembersEachRouteApart) {
    RouteSpeeds speeds;
    const auto fast = RouteSpeeds::route_key(1, http::verb::get, "/fast");
    const auto slow = RouteSpeeds::route_key(1, http::verb::get, "/slow");
    for (std::uint32_t i = 0; i < kQuickInARow; ++i) {
        speeds.observe(1, fast, Micros{50}, kQuick);
        speeds.observe(1, fast, Micros{50}, kQuick);
        speeds.observe(1, slow, Micros{1'000'000}, kQuick);
    }
    EXPECT_EQ(speeds.get(fast).quick_in_a_row, 2 * kQuickInARow);
    EXPECT_EQ(speeds.get(slow).quick_in_a_row, 0U);
    EXPECT_EQ(speeds.get(RouteSpeeds::route_key(2, http::verb::get, "/fast")).quick_in_a_row, 0U);
}

TEST(RouteSpeedsTest, ABusyReplicasRoutesAreQuickWhenNearItsTypicalAnswer) {
    RouteSpeeds speeds;
    const auto route = RouteSpeeds::route_key(1, http::verb::get, "/queued");
    // Every answer takes 15-20 ms, all of it waiting in the replica's queue: far over the 2 ms
    // floor, but each within four times the replica's typical answer.
    for (std::uint32_t i = 0; i < 3 * kQuickInARow; ++i) {
        speeds.observe(1, route, Micros{15'000 + 5'000 * (i % 2)}, kQuick);
    }
    EXPECT_GE(speeds.typical(1), Micros{15'000});
    EXPECT_GE(speeds.get(route).quick_in_a_row, kQuickInARow);
    // An answer twenty times the typical one starts the route over.
    speeds.observe(1, route, Micros{400'000}, kQuick);
    EXPECT_EQ(speeds.get(route).quick_in_a_row, 0U);
}

TEST(RouteSpeedsTest, NoAnswerStartsTheRouteOverAndLeavesTheTypicalAnswer) {
    RouteSpeeds speeds;
    const auto route = RouteSpeeds::route_key(1, http::verb::get, "/x");
    speeds.observe(1, route, Micros{100}, kQuick);
    speeds.observe(1, route, std::nullopt, kQuick);
    EXPECT_EQ(speeds.get(route).quick_in_a_row, 0U);
    EXPECT_EQ(speeds.typical(1), Micros{100});
}

TEST(RouteSpeedsTest, ARouteWhoseSlotIsTakenIsForgotten) {
    RouteSpeeds speeds;
    // Two keys that share a slot: the table has 1024.
    const std::uint64_t first = 5;
    const std::uint64_t second = 5 + 1024;
    speeds.observe(1, first, Micros{1}, kQuick);
    speeds.observe(1, second, Micros{1}, kQuick);
    EXPECT_EQ(speeds.get(first).quick_in_a_row, 0U);
    EXPECT_EQ(speeds.get(second).quick_in_a_row, 1U);
}

}  // namespace
}  // namespace ringlb::balancer
