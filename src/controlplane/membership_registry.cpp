#include "controlplane/membership_registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "controlplane/hostname.hpp"
#include "controlplane/invariant.hpp"
#include "hashing/build_table.hpp"

namespace ringlb::balancer {

namespace {

template <class Pred>
Slot* find_slot(std::vector<Slot>& slots, Pred pred) {
    const auto it = std::find_if(slots.begin(), slots.end(), pred);
    return it == slots.end() ? nullptr : &*it;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Slot* MembershipRegistry::find_by_id(std::uint32_t server_id) {
    return find_slot(slots_, [&](const Slot& s) { return s.server_id == server_id; });
}

Slot* MembershipRegistry::find_by_name(const std::string& name) {
    return find_slot(slots_, [&](const Slot& s) { return s.name == name; });
}

Slot* MembershipRegistry::find_by_backend(std::uint64_t backend_uid) {
    return find_slot(slots_,
                     [&](const Slot& s) { return s.backend && s.backend->uid() == backend_uid; });
}

Slot* MembershipRegistry::find_by_replica(const ReplicaHandle& replica) {
    return find_slot(slots_, [&](const Slot& s) { return s.replica == replica; });
}

std::vector<std::string> MembershipRegistry::names() const {
    std::vector<std::string> result;
    result.reserve(slots_.size());
    for (const Slot& slot : slots_) {
        result.push_back(slot.name);
    }
    return result;
}

std::string MembershipRegistry::fresh_name(std::mt19937_64& rng,
                                           const std::vector<std::string>& also_taken) const {
    const auto taken = names();
    for (;;) {
        std::string name = random_hostname(rng);
        if (!contains(taken, name) && !contains(also_taken, name)) {
            return name;
        }
    }
}

std::vector<std::uint32_t> MembershipRegistry::free_server_ids(std::size_t count) const {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t id = 1; ids.size() < count; ++id) {
        const bool taken = std::any_of(slots_.begin(), slots_.end(),
                                       [&](const Slot& s) { return s.server_id == id; });
        if (!taken) {
            ids.push_back(id);
        }
    }
    return ids;
}

void MembershipRegistry::remove(const std::vector<std::string>& names) {
    std::erase_if(slots_, [&](const Slot& slot) { return contains(names, slot.name); });
}

void MembershipRegistry::order_as(const std::vector<WantedReplica>& wanted) {
    const auto position = [&](const Slot& s) {
        return std::find_if(wanted.begin(), wanted.end(),
                            [&](const WantedReplica& w) { return w.server_id == s.server_id; }) -
               wanted.begin();
    };
    std::stable_sort(slots_.begin(), slots_.end(),
                     [&](const Slot& a, const Slot& b) { return position(a) < position(b); });
}

void MembershipRegistry::restore_table(std::shared_ptr<const hashing::Table> table) {
    table_ = std::move(table);
    table_ids_.clear();
    for (const hashing::Member& member : table_->members()) {
        table_ids_.push_back(member.id);
    }
}

const std::shared_ptr<const hashing::Table>& MembershipRegistry::table() {
    std::vector<std::uint32_t> ids;
    ids.reserve(slots_.size());
    for (const Slot& slot : slots_) {
        ids.push_back(slot.server_id);
    }
    std::sort(ids.begin(), ids.end());
    if (!table_ || ids != table_ids_) {
        std::vector<hashing::Member> members;
        members.reserve(ids.size());
        for (const std::uint32_t id : ids) {
            members.push_back(hashing::Member{id, 1});
        }
        table_ = hashing::build_table(hash_, members, table_.get());
        table_ids_ = std::move(ids);
    }
    return table_;
}

std::optional<std::string> MembershipRegistry::table_refuses(
    const std::vector<std::uint32_t>& added) const {
    std::vector<hashing::Member> members;
    members.reserve(slots_.size() + added.size());
    for (const Slot& slot : slots_) {
        members.push_back(hashing::Member{slot.server_id, 1});
    }
    for (const std::uint32_t id : added) {
        members.push_back(hashing::Member{id, 1});
    }
    try {
        hashing::build_table(hash_, members, table_.get());
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return std::nullopt;
}

std::shared_ptr<RoutingSnapshot> MembershipRegistry::snapshot() {
    auto snapshot = std::make_shared<RoutingSnapshot>();
    snapshot->table = table();
    for (const hashing::Member& member : snapshot->table->members()) {
        const Slot* slot = find_by_id(member.id);
        if (slot == nullptr) {
            fatal("routing table member " + std::to_string(member.id) + " has no slot");
        }
        snapshot->backends.push_back(slot->backend);
        snapshot->restarts.push_back(slot->restarts);
    }
    snapshot->names = names();
    return snapshot;
}

std::vector<WantedReplica> MembershipRegistry::membership() const {
    std::vector<WantedReplica> result;
    result.reserve(slots_.size());
    for (const Slot& slot : slots_) {
        result.push_back({slot.name, slot.server_id});
    }
    return result;
}

}  // namespace ringlb::balancer
