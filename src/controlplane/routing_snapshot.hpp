#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "controlplane/backend.hpp"
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

// One worker's view of the store. Requests hold the snapshot they route with through a Lease, for
// as long as they need it, even while newer snapshots arrive; the counts are worker-local, so
// holding one costs no atomic operation (a shared_ptr copy per request would make every worker
// write the same reference count).
class SnapshotReader {
    struct Held {
        std::shared_ptr<const RoutingSnapshot> snapshot;
        std::size_t users = 0;
    };

  public:
    class Lease {
      public:
        Lease(SnapshotReader& reader, Held& held) : reader_(&reader), held_(&held) {
            ++held_->users;
        }
        Lease(Lease&& other) noexcept
            : reader_(other.reader_), held_(std::exchange(other.held_, nullptr)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (held_ != nullptr) {
                reader_->release(*held_);
            }
        }
        const RoutingSnapshot& operator*() const { return *held_->snapshot; }
        const RoutingSnapshot* operator->() const { return held_->snapshot.get(); }

      private:
        SnapshotReader* reader_;
        Held* held_;
    };

    explicit SnapshotReader(const SnapshotStore& store)
        : store_(store), current_(std::make_unique<Held>(Held{store.load(), 0})) {}

    // The newest snapshot, held until the lease is destroyed.
    Lease acquire();
    // The version of the newest snapshot this reader has seen.
    std::uint64_t seen_version() const { return seen_; }

  private:
    void release(Held& held);

    const SnapshotStore& store_;
    std::unique_ptr<Held> current_;
    std::vector<std::unique_ptr<Held>> retired_;  // older snapshots still leased by a request
    std::uint64_t seen_ = 0;
};

}  // namespace ringlb::balancer
