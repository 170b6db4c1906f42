#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/state_file.hpp"
#include "hashing/config.hpp"
#include "hashing/table.hpp"

namespace ringlb::balancer {

// The control plane's memory across restarts (--state-dir): what it loads at start and what it
// writes after every change of membership or of a replica's name. Without a directory it keeps
// nothing and every call is a no-op. Used from the control thread only.
class MembershipStore {
  public:
    explicit MembershipStore(std::string dir) : dir_(std::move(dir)) {}

    // The saved membership, if any. Throws std::runtime_error when state.json is corrupt.
    std::optional<SavedState> load() const;

    // The hash table saved with `saved`, exactly as it was, or null when there is none or it does
    // not fit `config` (another --hash than before: the caller builds afresh, keys move once).
    static std::shared_ptr<const hashing::Table> restore_table(const hashing::Config& config,
                                                               const SavedState& saved);

    // Writes the membership and the table's slot owners when they changed since the last write.
    // A failed write is logged, not thrown: serving goes on, only a restart would lose the change.
    void save(const std::vector<WantedReplica>& replicas,
              const std::shared_ptr<const hashing::Table>& table);

    // From now on save() keeps the file as it is: shutting down stops replicas but is not a
    // change of membership, so a restarted ringlb brings the same ones back.
    void freeze() { frozen_ = true; }

  private:
    std::string dir_;
    bool frozen_ = false;
    std::vector<WantedReplica> saved_replicas_;          // what state.json holds, to skip
    std::shared_ptr<const hashing::Table> saved_table_;  // rewriting it unchanged
};

}  // namespace ringlb::balancer
