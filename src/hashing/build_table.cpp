#include "hashing/build_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "hashing/classic_table.hpp"
#include "hashing/maglev_table.hpp"
#include "hashing/ring_table.hpp"

namespace ringlb::hashing {

namespace {

std::vector<Member> sorted_members(std::span<const Member> members) {
    if (members.size() > kMaxMembers) {
        throw std::invalid_argument("too many members: " + std::to_string(members.size()) +
                                    " (at most " + std::to_string(kMaxMembers) + ")");
    }
    std::vector<Member> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const Member& a, const Member& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (sorted[i].weight == 0) {
            throw std::invalid_argument("server " + std::to_string(sorted[i].id) +
                                        " has weight 0 (weights must be at least 1)");
        }
        if (i > 0 && sorted[i].id == sorted[i - 1].id) {
            throw std::invalid_argument("duplicate server id " + std::to_string(sorted[i].id));
        }
    }
    return sorted;
}

}  // namespace

std::shared_ptr<const Table> build_table(const Config& config, std::span<const Member> members,
                                         const Table* previous) {
    if (auto problem = validate(config)) {
        throw std::invalid_argument(*problem);
    }
    std::vector<Member> sorted = sorted_members(members);
    switch (config.algorithm) {
        case Algorithm::kClassic:
            return ClassicTable::build(config.classic, std::move(sorted), previous);
        case Algorithm::kRing:
            return RingTable::build(config.ring, std::move(sorted));
        case Algorithm::kMaglev:
        case Algorithm::kMaglevIncremental:
            return MaglevTable::build(config.algorithm, config.maglev, std::move(sorted), previous);
    }
    throw std::invalid_argument("unknown hash algorithm");  // unreachable
}

}  // namespace ringlb::hashing
