#include "hashing/bounded_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace ringlb::hashing {

std::uint32_t bounded_load_capacity(std::uint64_t total_in_flight, std::size_t members,
                                    double epsilon) noexcept {
    const double mean = static_cast<double>(total_in_flight + 1) /
                        static_cast<double>(std::max<std::size_t>(members, 1));
    const double capacity = std::ceil((1.0 + epsilon) * mean);
    return static_cast<std::uint32_t>(std::max(1.0, std::min(capacity, 4294967295.0)));
}

std::uint32_t bounded_load_capacity(std::span<const std::uint32_t> in_flight,
                                    double epsilon) noexcept {
    const std::uint64_t total =
        std::accumulate(in_flight.begin(), in_flight.end(), std::uint64_t{0});
    return bounded_load_capacity(total, in_flight.size(), epsilon);
}

std::optional<MemberIndex> pick_bounded(const Table& table, Key key,
                                        std::span<const std::uint32_t> in_flight,
                                        double epsilon) noexcept {
    if (in_flight.size() != table.members().size()) {
        std::abort();
    }
    if (table.empty()) {
        return std::nullopt;
    }
    const std::uint32_t capacity = bounded_load_capacity(in_flight, epsilon);
    return pick_first(table, key,
                      [&](MemberIndex member) noexcept { return in_flight[member] < capacity; });
}

}  // namespace ringlb::hashing
