#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ringlb::balancer {

// A replica ringlb should run: its name and its server ID.
struct WantedReplica {
    std::string name;
    std::uint32_t server_id = 0;

    bool operator==(const WantedReplica&) const = default;
};

// The membership ringlb keeps in --state-dir (state.json), so that a restarted ringlb runs the
// same replicas under the same names and server IDs and every key keeps its replica:
//   {"version": 1, "replicas": [{"name": "server-1", "id": 1}, ...], "table": [1, 3, 2, ...]}
// The replicas are in /rep's order; "table" holds the owner of each slot of a history-dependent
// hash table (hashing/table_owners.hpp), absent for the others.
struct SavedState {
    std::vector<WantedReplica> replicas;
    std::vector<std::uint32_t> table_owners;

    bool operator==(const SavedState&) const = default;
};

// Nothing when the file does not exist. Throws std::runtime_error naming the file when it exists
// but cannot be read or is not a valid state (ringlb then refuses to start rather than guess).
std::optional<SavedState> load_state(const std::string& dir);

// Replaces the file atomically (a temporary file of a fresh name created exclusively, fsync,
// rename, fsync of the directory), so a crash leaves either the old state or the new one, and no
// link planted in the directory is ever followed. Throws std::runtime_error when it cannot.
void save_state(const std::string& dir, const SavedState& state);

// One ringlb per --state-dir: an exclusive flock on DIR/lock, held for the object's life (the
// kernel drops it when the process ends, however it ends). The constructor throws
// std::runtime_error with one line to show when another process holds it or it cannot be taken.
class StateDirLock {
  public:
    explicit StateDirLock(const std::string& dir);
    ~StateDirLock();
    StateDirLock(const StateDirLock&) = delete;
    StateDirLock& operator=(const StateDirLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace ringlb::balancer
