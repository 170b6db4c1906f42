#include "controlplane/membership_store.hpp"

#include <stdexcept>

#include "common/log.hpp"
#include "hashing/table_owners.hpp"

namespace ringlb::balancer {

std::optional<SavedState> MembershipStore::load() const {
    if (dir_.empty()) {
        return std::nullopt;
    }
    auto saved = load_state(dir_);
    if (saved) {
        log::info("state_loaded", {{"dir", dir_}, {"replicas", saved->replicas.size()}});
    }
    return saved;
}

std::shared_ptr<const hashing::Table> MembershipStore::restore_table(const hashing::Config& config,
                                                                     const SavedState& saved) {
    if (saved.table_owners.empty()) {
        return nullptr;
    }
    std::vector<hashing::Member> members;
    for (const WantedReplica& replica : saved.replicas) {
        members.push_back(hashing::Member{replica.server_id, 1});
    }
    try {
        return hashing::import_slot_owners(config, members, saved.table_owners);
    } catch (const std::invalid_argument& e) {
        log::warn("state_table_not_restored", {{"reason", e.what()}});
        return nullptr;
    }
}

void MembershipStore::save(const std::vector<WantedReplica>& replicas,
                           const std::shared_ptr<const hashing::Table>& table) {
    if (dir_.empty() || frozen_ || (replicas == saved_replicas_ && table == saved_table_)) {
        return;
    }
    try {
        save_state(dir_, SavedState{replicas, table ? hashing::export_slot_owners(*table)
                                                    : std::vector<std::uint32_t>{}});
        saved_replicas_ = replicas;
        saved_table_ = table;
    } catch (const std::exception& e) {
        log::error("state_not_saved", {{"error", e.what()}});
    }
}

}  // namespace ringlb::balancer
