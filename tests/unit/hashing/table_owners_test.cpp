#include "hashing/table_owners.hpp"

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

Config incremental() {
    Config config;
    config.algorithm = Algorithm::kMaglevIncremental;
    config.maglev.table_size = 4099;
    return config;
}

std::vector<Member> ids(std::initializer_list<std::uint32_t> list) {
    std::vector<Member> members;
    for (const auto id : list) {
        members.push_back(Member{id, 1});
    }
    return members;
}

TEST(TableOwners, RestoringGivesTheSameRoutesAsTheHistory) {
    const Config config = incremental();
    auto table = build_table(config, ids({1, 2, 3}));
    table = build_table(config, ids({1, 2, 3, 4, 5}), table.get());
    table = build_table(config, ids({1, 3, 4, 5}), table.get());
    const auto owners = export_slot_owners(*table);
    ASSERT_EQ(owners.size(), 4099U);

    const auto restored = import_slot_owners(config, ids({5, 4, 3, 1}), owners);
    const auto fresh = build_table(config, ids({1, 3, 4, 5}));
    std::size_t differ_from_fresh = 0;
    for (const Key key : testing::random_keys(20000, 5)) {
        ASSERT_EQ(restored->pick(key, 0), table->pick(key, 0));
        ASSERT_EQ(restored->pick(key, 1), table->pick(key, 1));
        differ_from_fresh += fresh->pick(key, 0) != table->pick(key, 0) ? 1U : 0U;
    }
    EXPECT_GT(differ_from_fresh, 0U) << "the history should matter, or this test proves nothing";
}

TEST(TableOwners, OnlyHistoryDependentTablesAreExported) {
    Config ring;
    ring.algorithm = Algorithm::kRing;
    EXPECT_TRUE(export_slot_owners(*build_table(ring, ids({1, 2}))).empty());
    Config maglev;
    maglev.algorithm = Algorithm::kMaglev;
    EXPECT_TRUE(export_slot_owners(*build_table(maglev, ids({1, 2}))).empty());
}

TEST(TableOwners, MismatchesAreRefused) {
    const Config config = incremental();
    const auto owners = export_slot_owners(*build_table(config, ids({1, 2})));
    EXPECT_THROW(import_slot_owners(config, ids({1, 3}), owners),
                 std::invalid_argument);  // unknown id
    EXPECT_THROW(import_slot_owners(config, ids({1, 2, 3}), owners),
                 std::invalid_argument);  // 3 owns nothing
    std::vector<std::uint32_t> short_table(owners.begin(), owners.begin() + 10);
    EXPECT_THROW(import_slot_owners(config, ids({1, 2}), short_table),
                 std::invalid_argument);  // size
    Config ring;
    ring.algorithm = Algorithm::kRing;
    EXPECT_THROW(import_slot_owners(ring, ids({1, 2}), owners), std::invalid_argument);
}

}  // namespace
}  // namespace ringlb::hashing
