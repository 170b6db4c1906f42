#include "controlplane/routing_snapshot.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

std::shared_ptr<RoutingSnapshot> snapshot_named(std::string name) {
    auto snapshot = std::make_shared<RoutingSnapshot>();
    snapshot->names = {std::move(name)};
    return snapshot;
}

TEST(SnapshotReader, SeesTheNewestPublication) {
    SnapshotStore store;
    SnapshotReader reader(store);
    EXPECT_TRUE(reader.acquire()->names.empty());
    store.publish(snapshot_named("a"));
    EXPECT_EQ(reader.acquire()->names.front(), "a");
    store.publish(snapshot_named("b"));
    EXPECT_EQ(reader.acquire()->names.front(), "b");
}

TEST(SnapshotReader, ALeaseKeepsItsSnapshotAliveAcrossPublications) {
    SnapshotStore store;
    SnapshotReader reader(store);
    store.publish(snapshot_named("old"));
    std::weak_ptr<const RoutingSnapshot> watch = store.load();
    {
        const auto lease = reader.acquire();
        store.publish(snapshot_named("new"));
        EXPECT_EQ(reader.acquire()->names.front(), "new");
        EXPECT_FALSE(watch.expired()) << "still leased";
        EXPECT_EQ(lease->names.front(), "old");
    }
    EXPECT_TRUE(watch.expired()) << "released with the last lease";
}

TEST(SnapshotReader, UnleasedSnapshotsAreDroppedAtOnce) {
    SnapshotStore store;
    SnapshotReader reader(store);
    store.publish(snapshot_named("one"));
    reader.acquire();
    std::weak_ptr<const RoutingSnapshot> watch = store.load();
    store.publish(snapshot_named("two"));
    reader.acquire();
    EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace ringlb::balancer
