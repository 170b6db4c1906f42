#include "hashing/table_owners.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "hashing/maglev_table.hpp"

namespace ringlb::hashing {

std::vector<std::uint32_t> export_slot_owners(const Table& table) {
    const auto* maglev = dynamic_cast<const MaglevTable*>(&table);
    if (maglev == nullptr || maglev->algorithm() != Algorithm::kMaglevIncremental) {
        return {};
    }
    std::vector<std::uint32_t> owners;
    owners.reserve(maglev->entries().size());
    for (const MemberIndex member : maglev->entries()) {
        owners.push_back(maglev->members()[member].id);
    }
    return owners;
}

std::shared_ptr<const Table> import_slot_owners(const Config& config,
                                                std::span<const Member> members,
                                                std::span<const std::uint32_t> owners) {
    if (config.algorithm != Algorithm::kMaglevIncremental) {
        throw std::invalid_argument("only maglev-incremental tables are saved");
    }
    if (owners.size() != config.maglev.table_size) {
        throw std::invalid_argument("the saved table has " + std::to_string(owners.size()) +
                                    " slots, not " + std::to_string(config.maglev.table_size));
    }
    std::vector<Member> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const Member& a, const Member& b) { return a.id < b.id; });
    std::vector<MemberIndex> entries;
    entries.reserve(owners.size());
    std::vector<bool> owns_a_slot(sorted.size(), false);
    for (const std::uint32_t id : owners) {
        const auto it =
            std::lower_bound(sorted.begin(), sorted.end(), id,
                             [](const Member& m, std::uint32_t value) { return m.id < value; });
        if (it == sorted.end() || it->id != id) {
            throw std::invalid_argument("the saved table names server id " + std::to_string(id) +
                                        ", which is not a member");
        }
        const auto index = static_cast<MemberIndex>(it - sorted.begin());
        owns_a_slot[index] = true;
        entries.push_back(index);
    }
    if (std::find(owns_a_slot.begin(), owns_a_slot.end(), false) != owns_a_slot.end()) {
        throw std::invalid_argument("a member owns no slot of the saved table");
    }
    return std::make_shared<MaglevTable>(Algorithm::kMaglevIncremental, std::move(sorted),
                                         std::move(entries));
}

}  // namespace ringlb::hashing
