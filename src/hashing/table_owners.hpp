#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "hashing/config.hpp"
#include "hashing/member.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// Saving and restoring a history-dependent table. A maglev-incremental table depends on the
// order of the membership changes that led to it, so rebuilding it from the members alone after a
// restart would move keys (measured: about 12 % of keys after two changes at N = 4). Saving which
// server ID owns each slot, and restoring exactly that, keeps every key on its replica.

// The owning server ID of each slot, for tables whose layout is not a function of their members
// (maglev-incremental); empty for the others, which a rebuild reproduces exactly (ring, maglev)
// or nearly (classic: only where virtual servers collided in another order).
std::vector<std::uint32_t> export_slot_owners(const Table& table);

// The table `config` would hold for `members` with exactly these slot owners. Throws
// std::invalid_argument when they do not fit (another algorithm or size, an unknown server ID, a
// member owning no slot): the caller then builds afresh.
std::shared_ptr<const Table> import_slot_owners(const Config& config,
                                                std::span<const Member> members,
                                                std::span<const std::uint32_t> owners);

}  // namespace ringlb::hashing
