#pragma once

#include <cstdint>

#include "hashing/config.hpp"
#include "hashing/key.hpp"

namespace ringlb::hashing {

// The pair of functions `classic` places requests and virtual servers with, reduced to [0, slots).
// Precondition: slots >= 1.
//
// kAssignment is exact modular arithmetic, so it gives the docs/contract.md known answers for any
// M, e.g. with M = 512: H(12) = 144 + 24 + 17 = 185, and H(12798) = 17 because 12798 ≡ 510 (mod
// 512) and 510² + 2·510 + 17 = 261137 = 510·512 + 17. Its flaw is the point of the assignment: H
// depends on i mod 512 through a quadratic, which reaches only 87 slots, and Φ(i, j) for servers 1,
// 2, 3 are the same nine offsets shifted by 1, 4 and 9, so the servers' virtual nodes cluster
// together. kSplitMix and kXxh3 replace both with strong 64-bit mixers for the A-4 comparison.
std::uint32_t request_slot(ClassicFunctions functions, Key request_id,
                           std::uint32_t slots) noexcept;
std::uint32_t virtual_server_slot(ClassicFunctions functions, std::uint32_t server_id,
                                  std::uint32_t replica, std::uint32_t slots) noexcept;

// The SplitMix64 finalizer (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014): a bijection on 64-bit values with full avalanche.
std::uint64_t splitmix64(std::uint64_t value) noexcept;

}  // namespace ringlb::hashing
