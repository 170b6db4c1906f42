#pragma once

#include <memory>
#include <span>

#include "hashing/config.hpp"
#include "hashing/member.hpp"
#include "hashing/table.hpp"

namespace ringlb::hashing {

// Builds the table for `members` (in any order) with the algorithm and parameters in `config`.
// Called on the control plane whenever membership changes, never on the request path.
//
// `previous` is the table for the membership before this change, or null. History-dependent
// algorithms (`classic`, which edits its map in place like the assignment's, and
// `maglev-incremental`) start from it so that only the keys that must move do; the others ignore
// it. A previous table of another algorithm or with other parameters is ignored too.
//
// Throws std::invalid_argument, with a message naming the problem, for an invalid config
// (validate()), duplicate ids, a zero weight, more than kMaxMembers members, or members that do
// not fit the algorithm's table.
std::shared_ptr<const Table> build_table(const Config& config, std::span<const Member> members,
                                         const Table* previous = nullptr);

}  // namespace ringlb::hashing
