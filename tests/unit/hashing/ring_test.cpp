// The ring's O(1) lookup index must agree with the textbook binary search.

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "hashing/key_mix.hpp"
#include "hashing/ring_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

TEST(Ring, LookupEqualsFirstPointAtOrAfterTheKeysHash) {
    for (const std::uint32_t virtual_nodes : {1U, 3U, 160U}) {
        Config config;
        config.algorithm = Algorithm::kRing;
        config.ring.virtual_nodes = virtual_nodes;
        const auto members = testing::members_with_ids(13);
        const auto table = build_table(config, members);
        std::vector<std::pair<std::uint64_t, std::uint32_t>> points;  // (hash, id), sorted
        for (const Member& member : members) {
            for (std::uint32_t r = 0; r < virtual_nodes; ++r) {
                points.emplace_back(RingTable::point_hash(member.id, r), member.id);
            }
        }
        std::sort(points.begin(), points.end());
        auto keys = testing::random_keys(20000, virtual_nodes);
        for (const auto& point : points) {  // the boundaries themselves, and just past them
            keys.push_back(point.first);
        }
        for (const Key key : keys) {
            const std::uint64_t hash = mix_key(key);
            auto it = std::lower_bound(points.begin(), points.end(),
                                       std::pair<std::uint64_t, std::uint32_t>{hash, 0});
            if (it == points.end()) {
                it = points.begin();
            }
            ASSERT_EQ(testing::owner_id(*table, key), it->second) << "K=" << virtual_nodes;
        }
    }
}

}  // namespace
}  // namespace ringlb::hashing
