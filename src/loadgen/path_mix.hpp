#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "loadgen/simulation.hpp"

namespace ringlb::loadgen {

// One path of a run's mix and its share of the requests: weight over the sum of all weights.
struct WeightedPath {
    std::string path;
    std::uint64_t weight = 1;

    bool operator==(const WeightedPath&) const = default;
};

// The largest weight one path may have; it keeps the sum of any mix far from overflow.
constexpr std::uint64_t kMaxPathWeight = 1'000'000;

// Parses one --path value, "PATH" (weight 1) or "PATH=WEIGHT", where PATH starts with '/' and
// holds only visible ASCII, and WEIGHT is an integer in 1..kMaxPathWeight. The weight follows
// the last '=', so a path that holds '=' itself needs an explicit weight ("/q?a=b=1"). On bad
// input, the reason, ready to follow the flag's name.
std::variant<WeightedPath, std::string> parse_weighted_path(std::string_view text);

// Why a whole mix cannot be used (a path given twice), or nothing when it can.
std::optional<std::string> mix_problem(std::span<const WeightedPath> mix);

// The path a uniform 64-bit draw lands on: the draw is scaled onto [0, sum of weights) by
// multiply-shift, and path i owns the weights[i] points after those of paths 0..i-1. So with
// weights {99, 1}, draws below 99/100 of 2^64 pick 0 and the rest pick 1. `weights`: non-empty,
// each positive.
std::size_t choose_path(std::span<const std::uint64_t> weights, std::uint64_t draw);

// Picks each request's path in turn, from a SplitMix64 sequence of its own: the same seed gives
// the same paths, and they are independent of the keys that --request-ids random draws from that
// seed. Not thread-safe; one per run.
class PathStream {
  public:
    // `mix`: non-empty, every weight positive.
    PathStream(std::span<const WeightedPath> mix, std::uint64_t seed);

    std::size_t next();

  private:
    std::vector<std::uint64_t> weights_;
    KeyStream draws_;
};

}  // namespace ringlb::loadgen
