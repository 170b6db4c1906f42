#include "controlplane/membership_registry.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

MembershipRegistry registry_of(std::vector<std::pair<std::string, std::uint32_t>> slots) {
    MembershipRegistry registry(hashing::Config{});
    for (auto& [name, id] : slots) {
        registry.add(Slot{.name = name, .server_id = id});
    }
    return registry;
}

TEST(MembershipRegistry, FindsByIdNameBackendAndReplicaHandle) {
    auto registry = registry_of({{"a", 1}, {"b", 2}});
    auto backend = std::make_shared<Backend>("b", 2, boost::asio::ip::tcp::endpoint{}, 1);
    registry.find_by_id(2)->backend = backend;
    registry.find_by_id(2)->replica = ReplicaHandle("r7");
    EXPECT_EQ(registry.find_by_name("a")->server_id, 1U);
    EXPECT_EQ(registry.find_by_backend(backend->uid())->name, "b");
    EXPECT_EQ(registry.find_by_replica(ReplicaHandle("r7"))->name, "b");
    EXPECT_EQ(registry.find_by_replica(ReplicaHandle("r8")), nullptr);
    EXPECT_EQ(registry.find_by_id(3), nullptr);
    EXPECT_EQ(registry.find_by_name("c"), nullptr);
}

TEST(MembershipRegistry, FreeServerIdsFillTheGapsFirst) {
    const auto registry = registry_of({{"a", 1}, {"b", 3}, {"c", 4}});
    EXPECT_EQ(registry.free_server_ids(3), (std::vector<std::uint32_t>{2, 5, 6}));
    EXPECT_TRUE(registry.free_server_ids(0).empty());
}

TEST(MembershipRegistry, FreshNamesAvoidSlotsAndTheGivenNames) {
    auto registry = registry_of({{"a", 1}});
    std::mt19937_64 rng(7);
    std::mt19937_64 same(7);
    const std::string first = registry.fresh_name(same, {});
    registry.add(Slot{.name = first, .server_id = 2});
    const std::string avoided = registry.fresh_name(rng, {});
    EXPECT_NE(avoided, first);
    EXPECT_TRUE(avoided.starts_with("replica-"));
}

TEST(MembershipRegistry, RemovesByNameAndOrdersAsWanted) {
    auto registry = registry_of({{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});
    registry.remove({"b"});
    registry.order_as({{"d", 4}, {"a", 1}});
    EXPECT_EQ(registry.names(), (std::vector<std::string>{"d", "a", "c"}));
    EXPECT_EQ(registry.membership(), (std::vector<WantedReplica>{{"d", 4}, {"a", 1}, {"c", 3}}));
}

TEST(MembershipRegistry, TableIsRebuiltOnlyWhenTheServerIdsChange) {
    auto registry = registry_of({{"a", 1}, {"b", 2}});
    const auto first = registry.table();
    registry.find_by_id(1)->name = "renamed";
    registry.find_by_id(1)->backend =
        std::make_shared<Backend>("renamed", 1, boost::asio::ip::tcp::endpoint{}, 1);
    EXPECT_EQ(registry.table(), first) << "a new name or replica keeps the table";
    registry.add(Slot{.name = "c", .server_id = 3});
    const auto second = registry.table();
    EXPECT_NE(second, first);
    EXPECT_EQ(second->members().size(), 3U);
}

TEST(MembershipRegistry, SnapshotHasEachMembersBackendAndTheNamesInRepOrder) {
    auto registry = registry_of({{"b", 2}, {"a", 1}});
    auto backend = std::make_shared<Backend>("a", 1, boost::asio::ip::tcp::endpoint{}, 1);
    registry.find_by_id(1)->backend = backend;
    registry.find_by_id(1)->restarts = 4;
    const auto snapshot = registry.snapshot();
    EXPECT_EQ(snapshot->names, (std::vector<std::string>{"b", "a"}));
    ASSERT_EQ(snapshot->backends.size(), 2U);
    for (std::size_t i = 0; i < snapshot->backends.size(); ++i) {
        const bool is_one = snapshot->table->members()[i].id == 1;
        EXPECT_EQ(snapshot->backends[i], is_one ? backend : nullptr);
        EXPECT_EQ(snapshot->restarts[i], is_one ? 4U : 0U);
    }
}

}  // namespace
}  // namespace ringlb::balancer
