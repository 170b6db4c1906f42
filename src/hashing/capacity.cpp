#include "hashing/capacity.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "hashing/build_table.hpp"

namespace ringlb::hashing {

namespace {

// Builds ids 1..limit one at a time and returns how many fitted before the first refusal.
std::uint32_t classic_capacity(const Config& config, std::uint32_t limit) {
    std::vector<Member> members;
    std::shared_ptr<const Table> previous;
    for (std::uint32_t n = 1; n <= limit; ++n) {
        members.push_back(Member{n, 1});
        try {
            previous = build_table(config, members, previous.get());
            build_table(config, members);
        } catch (const std::invalid_argument&) {
            return n - 1;
        }
    }
    return limit;
}

}  // namespace

std::uint32_t member_capacity(const Config& config, std::uint32_t limit) {
    limit = std::min(limit, kMaxMembers);
    switch (config.algorithm) {
        case Algorithm::kClassic:
            return classic_capacity(config, limit);
        case Algorithm::kRing:
            return limit;
        case Algorithm::kMaglev:
        case Algorithm::kMaglevIncremental:
            return std::min(limit, config.maglev.table_size);
    }
    throw std::invalid_argument("unknown hash algorithm");  // unreachable
}

}  // namespace ringlb::hashing
