#include "controlplane/routing_snapshot.hpp"

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

SnapshotReader::Lease SnapshotReader::acquire() {
    const std::uint64_t version = store_.version();
    if (version != seen_) {
        auto fresh = std::make_unique<Held>(Held{store_.load(), 0});
        if (current_->users > 0) {
            retired_.push_back(std::move(current_));
        }
        current_ = std::move(fresh);
        seen_ = version;
    }
    return Lease(*this, *current_);
}

void SnapshotReader::release(Held& held) {
    if (--held.users == 0 && &held != current_.get()) {
        std::erase_if(retired_, [&](const std::unique_ptr<Held>& h) { return h.get() == &held; });
    }
}

}  // namespace ringlb::balancer
