#include "hashing/classic_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "hashing/circular_walk.hpp"
#include "hashing/classic_functions.hpp"

namespace ringlb::hashing {

namespace {

bool same_placement(const ClassicParams& a, const ClassicParams& b) noexcept {
    return a.slots == b.slots && a.virtual_servers == b.virtual_servers &&
           a.functions == b.functions && a.probing == b.probing;
}

// Places virtual servers into a slot map, as the assignment's add_server does.
class SlotMap {
  public:
    explicit SlotMap(const ClassicParams& params)
        : params_(params), slots_(params.slots, std::nullopt) {}

    void keep(std::uint32_t slot, MemberIndex member) { slots_[slot] = member; }

    void add_member(MemberIndex member, const Member& description) {
        const std::uint64_t count = std::uint64_t{params_.virtual_servers} * description.weight;
        for (std::uint64_t j = 0; j < count; ++j) {
            const auto replica = static_cast<std::uint32_t>(j);
            place(member,
                  virtual_server_slot(params_.functions, description.id, replica, params_.slots),
                  description.id);
        }
    }

    [[nodiscard]] std::vector<ClassicTable::Occupant> occupants() const {
        std::vector<ClassicTable::Occupant> result;
        for (std::uint32_t slot = 0; slot < params_.slots; ++slot) {
            if (slots_[slot]) {
                result.push_back({slot, *slots_[slot]});
            }
        }
        return result;
    }

  private:
    void place(MemberIndex member, std::uint32_t home, std::uint32_t id) {
        const std::uint64_t m = params_.slots;
        for (std::uint64_t probe = 0; probe < m; ++probe) {
            const std::uint64_t step =
                params_.probing == Probing::kLinear ? probe : (probe * probe) % m;
            const auto slot = static_cast<std::uint32_t>((home + step) % m);
            if (!slots_[slot]) {
                slots_[slot] = member;
                return;
            }
        }
        throw std::invalid_argument("classic: no free slot for a virtual server of server " +
                                    std::to_string(id) + " (M = " + std::to_string(params_.slots) +
                                    ", K = " + std::to_string(params_.virtual_servers) + ", " +
                                    std::string(probing_name(params_.probing)) +
                                    " probing); raise M or lower K or the member count");
    }

    const ClassicParams& params_;
    std::vector<std::optional<MemberIndex>> slots_;
};

}  // namespace

std::shared_ptr<const ClassicTable> ClassicTable::build(const ClassicParams& params,
                                                        std::vector<Member> members,
                                                        const Table* previous) {
    std::uint64_t virtual_servers = 0;
    for (const Member& member : members) {
        virtual_servers += std::uint64_t{params.virtual_servers} * member.weight;
    }
    if (virtual_servers > params.slots) {
        throw std::invalid_argument(
            "classic: " + std::to_string(virtual_servers) +
            " virtual servers do not fit in M = " + std::to_string(params.slots) + " slots");
    }

    SlotMap map(params);
    std::vector<bool> kept(members.size(), false);
    const auto* const before = dynamic_cast<const ClassicTable*>(previous);
    if (before != nullptr && same_placement(before->params_, params)) {
        // Keep every virtual server of a surviving member where it was; both member lists are
        // sorted by id, so one merge maps old indices to new ones.
        const auto old_members = before->members();
        std::vector<std::optional<MemberIndex>> renumber(old_members.size());
        std::size_t next = 0;
        for (std::size_t old = 0; old < old_members.size(); ++old) {
            while (next < members.size() && members[next].id < old_members[old].id) {
                ++next;
            }
            if (next < members.size() && members[next] == old_members[old]) {
                renumber[old] = static_cast<MemberIndex>(next);
                kept[next] = true;
            }
        }
        for (std::size_t i = 0; i < before->slots_.size(); ++i) {
            if (const auto member = renumber[before->owners_[i]]) {
                map.keep(before->slots_[i], *member);
            }
        }
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!kept[i]) {
            map.add_member(static_cast<MemberIndex>(i), members[i]);
        }
    }
    return std::make_shared<const ClassicTable>(params, std::move(members), map.occupants());
}

ClassicTable::ClassicTable(const ClassicParams& params, std::vector<Member> members,
                           const std::vector<Occupant>& occupants)
    : Table(std::move(members)), params_(params), next_occupied_(params.slots, 0) {
    slots_.reserve(occupants.size());
    owners_.reserve(occupants.size());
    for (const Occupant& occupant : occupants) {
        slots_.push_back(occupant.slot);
        owners_.push_back(occupant.member);
    }
    // Slots past the last occupied one wrap round to index 0, which the zero fill already says.
    std::size_t index = 0;
    for (std::uint32_t slot = 0; slot < params.slots && index < slots_.size(); ++slot) {
        next_occupied_[slot] = static_cast<std::uint32_t>(index);
        if (slots_[index] == slot) {
            ++index;
        }
    }
}

std::optional<MemberIndex> ClassicTable::walk(Key key, AcceptRef accept) const noexcept {
    const std::uint32_t slot = request_slot(params_.functions, key, params_.slots);
    return walk_circle(owners_, next_occupied_[slot], static_cast<std::uint32_t>(members().size()),
                       accept);
}

std::vector<ClassicTable::Occupant> ClassicTable::occupants() const {
    std::vector<Occupant> result;
    result.reserve(slots_.size());
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        result.push_back({slots_[i], owners_[i]});
    }
    return result;
}

Stats ClassicTable::stats() const {
    Stats stats{.table_size = params_.slots, .shares = std::vector<double>(members().size(), 0.0)};
    // Occupied slot i receives the H values in (slots_[i - 1], slots_[i]], the first one also
    // those after the last occupied slot.
    const double total = params_.slots;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const std::uint32_t arc =
            i == 0 ? params_.slots - slots_.back() + slots_.front() : slots_[i] - slots_[i - 1];
        stats.shares[owners_[i]] += arc / total;
    }
    return stats;
}

}  // namespace ringlb::hashing
