#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "controlplane/backend.hpp"
#include "controlplane/replica_driver.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "controlplane/state_file.hpp"
#include "hashing/config.hpp"
#include "hashing/table.hpp"

namespace ringlb::balancer {

// One replica ringlb should have: its name and server ID, and the replica that fills it now.
struct Slot {
    std::string name;
    std::uint32_t server_id = 0;
    std::shared_ptr<Backend> backend;      // null while (re)starting
    std::optional<ReplicaHandle> replica;  // the driver's handle on it; none while (re)starting
    std::uint32_t restarts = 0;
    std::uint32_t failures_in_row = 0;
    std::chrono::steady_clock::time_point up_since;
    bool replacing = false;
};

// The membership, pure (no I/O, no clock): the slots in /rep order, look-ups, fresh names and
// server IDs, and the hash table, rebuilt from the previous one only when the set of server IDs
// changes (health never rebuilds it).
class MembershipRegistry {
  public:
    explicit MembershipRegistry(const hashing::Config& hash) : hash_(hash) {}

    std::vector<Slot>& slots() { return slots_; }
    const std::vector<Slot>& slots() const { return slots_; }

    Slot* find_by_id(std::uint32_t server_id);
    Slot* find_by_name(const std::string& name);
    Slot* find_by_backend(std::uint64_t backend_uid);
    Slot* find_by_replica(const ReplicaHandle& replica);

    // The names in /rep order.
    std::vector<std::string> names() const;
    // A random name that no slot has and that is not in `also_taken`.
    std::string fresh_name(std::mt19937_64& rng, const std::vector<std::string>& also_taken) const;
    // The `count` smallest server IDs no slot has.
    std::vector<std::uint32_t> free_server_ids(std::size_t count) const;

    void add(Slot slot) { slots_.push_back(std::move(slot)); }
    void remove(const std::vector<std::string>& names);
    // Puts the slots in the order of `wanted` (by server ID); the others keep theirs, after them.
    void order_as(const std::vector<WantedReplica>& wanted);

    // Starts from a saved table instead of none; its members become the server IDs it is for.
    void restore_table(std::shared_ptr<const hashing::Table> table);
    // The table for the slots' server IDs: the current one while they are the same set, else a
    // new one built from it (which keeps keys in place for the algorithms that can).
    const std::shared_ptr<const hashing::Table>& table();

    // Why no table can hold the slots' server IDs plus `added` (the algorithm's own words), or
    // nothing when one can: checked before an /add starts anything.
    std::optional<std::string> table_refuses(const std::vector<std::uint32_t>& added) const;

    // The next snapshot to publish (calls table()). Every table member has a slot.
    std::shared_ptr<RoutingSnapshot> snapshot();
    // The membership to persist, in /rep order.
    std::vector<WantedReplica> membership() const;

  private:
    hashing::Config hash_;
    std::vector<Slot> slots_;  // in /rep order
    std::shared_ptr<const hashing::Table> table_;
    std::vector<std::uint32_t> table_ids_;  // the server IDs table_ was built for, sorted
};

}  // namespace ringlb::balancer
