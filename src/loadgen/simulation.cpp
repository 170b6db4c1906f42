#include "loadgen/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "hashing/build_table.hpp"
#include "hashing/classic_functions.hpp"

namespace ringlb::loadgen {

namespace {

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15;
constexpr std::uint64_t kSixDigitLow = 100000;
constexpr std::uint64_t kSixDigitCount = 900000;

std::vector<hashing::Member> replicas_with_ids(std::uint32_t count) {
    std::vector<hashing::Member> members(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        members[i] = {.id = i + 1, .weight = 1};
    }
    return members;
}

std::uint32_t owner_id(const hashing::Table& table, hashing::Key key) {
    return table.members()[table.pick(key).value()].id;
}

// Counts, for one membership change, the keys that moved and those that moved needlessly.
class MoveCounter {
  public:
    MoveCounter(std::uint32_t changed, bool removal) : changed_(changed), removal_(removal) {}

    void record(std::uint32_t before, std::uint32_t after) noexcept {
        if (before == after) {
            return;
        }
        ++moved_;
        // On removal a move is necessary when the old owner left; on add, when the new one came.
        if ((removal_ ? before : after) != changed_) {
            ++spurious_;
        }
    }

    [[nodiscard]] Moves result(std::uint64_t keys, double ideal) const {
        const auto total = static_cast<double>(keys);
        return {.server_id = changed_,
                .moved = static_cast<double>(moved_) / total,
                .spurious = static_cast<double>(spurious_) / total,
                .ideal = ideal};
    }

  private:
    std::uint32_t changed_;
    bool removal_;
    std::uint64_t moved_ = 0;
    std::uint64_t spurious_ = 0;
};

}  // namespace

std::uint64_t KeyStream::next() noexcept {
    // splitmix64() adds the gamma itself, so this is the SplitMix64 generator's sequence.
    const std::uint64_t value = hashing::splitmix64(state_);
    state_ += kGoldenGamma;
    if (space_ == KeySpace::kUniform) {
        return value;
    }
    // Lemire's multiply-shift maps the 64-bit value onto the 900000 six-digit IDs.
    __extension__ using Uint128 = unsigned __int128;
    return kSixDigitLow +
           static_cast<std::uint64_t>((static_cast<Uint128>(value) * kSixDigitCount) >> 64U);
}

Balance balance_of(const std::vector<std::uint64_t>& counts) {
    Balance balance;
    const auto total =
        static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}));
    if (counts.empty() || total == 0.0) {
        return balance;
    }
    const auto n = static_cast<double>(counts.size());
    for (const std::uint64_t count : counts) {
        balance.shares.push_back(static_cast<double>(count) / total);
    }
    const double mean = 1.0 / n;
    double squares = 0.0;
    for (const double share : balance.shares) {
        squares += (share - mean) * (share - mean);
    }
    balance.stddev = std::sqrt(squares / n);
    balance.peak_to_mean = *std::max_element(balance.shares.begin(), balance.shares.end()) / mean;
    return balance;
}

SimulationResult simulate(const SimulationParams& params) {
    if (params.replicas == 0) {
        throw std::invalid_argument("replicas must be at least 1");
    }
    if (params.keys == 0) {
        throw std::invalid_argument("keys must be at least 1");
    }
    const std::uint32_t n = params.replicas;
    const auto members = replicas_with_ids(n);
    const auto table = hashing::build_table(params.config, members);

    auto grown_members = members;
    const std::uint32_t added = n + 1;
    grown_members.push_back({.id = added, .weight = 1});
    const auto grown = hashing::build_table(params.config, grown_members, table.get());

    std::shared_ptr<const hashing::Table> shrunk;
    std::uint32_t removed = 0;
    if (n > 1) {
        removed = 1 + static_cast<std::uint32_t>(hashing::splitmix64(params.seed) % n);
        auto remaining = members;
        std::erase_if(remaining, [removed](const hashing::Member& m) { return m.id == removed; });
        shrunk = hashing::build_table(params.config, remaining, table.get());
    }

    std::vector<std::uint64_t> counts(n, 0);
    MoveCounter removal(removed, true);
    MoveCounter addition(added, false);
    KeyStream stream(params.seed, params.key_space);
    for (std::uint64_t i = 0; i < params.keys; ++i) {
        const hashing::Key key = stream.next();
        const std::uint32_t owner = owner_id(*table, key);
        ++counts[owner - 1];
        addition.record(owner, owner_id(*grown, key));
        if (shrunk) {
            removal.record(owner, owner_id(*shrunk, key));
        }
    }

    Balance balance = balance_of(counts);
    SimulationResult result{.shares = std::move(balance.shares),
                            .peak_to_mean = balance.peak_to_mean,
                            .stddev = balance.stddev,
                            .add = addition.result(params.keys, 1.0 / (n + 1.0))};
    if (shrunk) {
        result.remove = removal.result(params.keys, 1.0 / n);
    }
    return result;
}

}  // namespace ringlb::loadgen
