#include "balancer/routing_snapshot.hpp"

namespace ringlb::balancer {

SnapshotStore::SnapshotStore() : current_(std::make_shared<RoutingSnapshot>()) {}

void SnapshotStore::publish(std::shared_ptr<const RoutingSnapshot> snapshot) {
    {
        const std::lock_guard lock(mutex_);
        current_ = std::move(snapshot);
    }
    version_.fetch_add(1, std::memory_order_acq_rel);
}

std::shared_ptr<const RoutingSnapshot> SnapshotStore::load() const {
    const std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace ringlb::balancer
