#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "hashing/parsed.hpp"

namespace ringlb::hashing {

enum class Algorithm : std::uint8_t {
    kClassic,            // the assignment's 512-slot map (docs/contract.md)
    kRing,               // virtual nodes placed by xxh3
    kMaglev,             // Maglev lookup table, rebuilt from scratch on every membership change
    kMaglevIncremental,  // the same table, updated in place so that only necessary keys move
};

inline constexpr std::array kAllAlgorithms{Algorithm::kClassic, Algorithm::kRing,
                                           Algorithm::kMaglev, Algorithm::kMaglevIncremental};

// What `default` means. docs/hashing.md shows the measurements that chose it: the only algorithm
// here that balances within 2 % and moves only the keys it must.
inline constexpr Algorithm kDefaultAlgorithm = Algorithm::kMaglevIncremental;

// The name used on command lines and in metrics: "classic", "ring", "maglev",
// "maglev-incremental".
std::string_view algorithm_name(Algorithm algorithm) noexcept;

// Accepts every algorithm_name() and "default" (kDefaultAlgorithm).
Parsed<Algorithm> parse_algorithm(std::string_view name);

}  // namespace ringlb::hashing
