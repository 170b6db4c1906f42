#include "hashing/ring_table.hpp"

#include <algorithm>
#include <bit>
#include <utility>

#include "hashing/circular_walk.hpp"
#include "hashing/key_mix.hpp"

namespace ringlb::hashing {

namespace {

constexpr std::uint64_t kPointSeed = 0x72696e67706f696e;  // "ringpoin"

struct Point {
    std::uint64_t hash = 0;
    std::uint32_t id = 0;
    MemberIndex member = 0;
};

}  // namespace

std::uint64_t RingTable::point_hash(std::uint32_t id, std::uint32_t replica) noexcept {
    return mix_key((std::uint64_t{id} << 32U) | replica, kPointSeed);
}

std::shared_ptr<const RingTable> RingTable::build(const RingParams& params,
                                                  std::vector<Member> members) {
    return std::make_shared<const RingTable>(params, std::move(members));
}

RingTable::RingTable(const RingParams& params, std::vector<Member> members)
    : Table(std::move(members)) {
    std::vector<Point> points;
    std::uint64_t total = 0;
    for (const Member& member : this->members()) {
        total += std::uint64_t{params.virtual_nodes} * member.weight;
    }
    points.reserve(total);
    const auto listed = this->members();
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const std::uint64_t count = std::uint64_t{params.virtual_nodes} * listed[i].weight;
        for (std::uint64_t r = 0; r < count; ++r) {
            points.push_back({point_hash(listed[i].id, static_cast<std::uint32_t>(r)), listed[i].id,
                              static_cast<MemberIndex>(i)});
        }
    }
    // Two points at the same hash are ordered by id, so the result never depends on input order.
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
        return a.hash != b.hash ? a.hash < b.hash : a.id < b.id;
    });
    hashes_.reserve(points.size());
    owners_.reserve(points.size());
    for (const Point& point : points) {
        hashes_.push_back(point.hash);
        owners_.push_back(point.member);
    }

    const unsigned bits = std::max(1U, static_cast<unsigned>(std::bit_width(points.size())));
    shift_ = 64U - bits;
    const std::size_t buckets = std::size_t{1} << bits;
    bucket_first_.assign(buckets + 1, static_cast<std::uint32_t>(points.size()));
    std::size_t index = 0;
    for (std::size_t bucket = 0; bucket < buckets; ++bucket) {
        while (index < hashes_.size() && (hashes_[index] >> shift_) < bucket) {
            ++index;
        }
        bucket_first_[bucket] = static_cast<std::uint32_t>(index);
    }
}

std::size_t RingTable::first_point_at_or_after(std::uint64_t hash) const noexcept {
    const std::size_t bucket = hash >> shift_;
    std::size_t index = bucket_first_[bucket];
    const std::size_t end = bucket_first_[bucket + 1];
    while (index < end && hashes_[index] < hash) {
        ++index;
    }
    return index == hashes_.size() ? 0 : index;
}

std::optional<MemberIndex> RingTable::walk(Key key, AcceptRef accept) const noexcept {
    return walk_circle(owners_, first_point_at_or_after(mix_key(key)),
                       static_cast<std::uint32_t>(members().size()), accept);
}

Stats RingTable::stats() const {
    Stats stats{.table_size = hashes_.size(), .shares = std::vector<double>(members().size(), 0.0)};
    // Point i receives the hashes in (hashes_[i - 1], hashes_[i]]; point 0 also those past the
    // last point. Unsigned subtraction wraps, which is exactly the arc across zero.
    constexpr long double kCircle = 18446744073709551616.0L;  // 2^64
    for (std::size_t i = 0; i < hashes_.size(); ++i) {
        const std::uint64_t previous = i == 0 ? hashes_.back() : hashes_[i - 1];
        const std::uint64_t arc = hashes_[i] - previous;
        const long double share =
            hashes_.size() == 1 ? 1.0L : static_cast<long double>(arc) / kCircle;
        stats.shares[owners_[i]] += static_cast<double>(share);
    }
    return stats;
}

}  // namespace ringlb::hashing
