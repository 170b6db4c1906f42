#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "balancer/backend.hpp"
#include "hashing/table.hpp"

namespace ringlb::balancer {

// Everything a worker needs to route, frozen: the hash table and, for each of its members (by
// MemberIndex), the running replica, if any. Built by the control plane on every change of
// membership or of a member's replica; never modified after publication.
struct RoutingSnapshot {
    std::shared_ptr<const hashing::Table> table;
    std::vector<std::shared_ptr<Backend>> backends;  // null while the member's replica (re)starts
    std::vector<std::string> names;                  // the replicas in /rep order
    std::vector<std::uint32_t> restarts;             // by MemberIndex: replacements so far
};

// Where the control plane publishes snapshots and workers pick them up. Workers check an atomic
// version on each request and take the mutex only when it moved (RCU-like), so routing takes no
// lock in the steady state.
class SnapshotStore {
public:
    SnapshotStore();

    void publish(std::shared_ptr<const RoutingSnapshot> snapshot);
    std::shared_ptr<const RoutingSnapshot> load() const;
    std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const RoutingSnapshot> current_;
    std::atomic<std::uint64_t> version_{0};
};

// One worker's view of the store.
class SnapshotReader {
public:
    explicit SnapshotReader(const SnapshotStore& store) : store_(store), snapshot_(store.load()) {}

    // The newest snapshot. Returns a reference valid until the next call on this reader.
    const RoutingSnapshot& current() {
        const std::uint64_t version = store_.version();
        if (version != seen_) {
            snapshot_ = store_.load();
            seen_ = version;
        }
        return *snapshot_;
    }
    std::uint64_t seen_version() const { return seen_; }

private:
    const SnapshotStore& store_;
    std::shared_ptr<const RoutingSnapshot> snapshot_;
    std::uint64_t seen_ = 0;
};

}  // namespace ringlb::balancer
