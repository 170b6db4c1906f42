#pragma once

// Internal to the hashing library (not installed with the public headers): xxh3 compiled inline,
// so that mixing an 8-byte key costs a few instructions instead of a call into libxxhash.

#include <cstdint>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "hashing/key.hpp"

namespace ringlb::hashing {

// Spreads a key over all 64 bits. Integer request IDs (0..999999) are dense in the low bits; every
// algorithm that places keys by position needs them uniform first. The key's bytes are hashed in
// the machine's byte order, which fixes placement per architecture (ringlb targets little-endian).
inline std::uint64_t mix_key(Key key, std::uint64_t seed = 0) noexcept {
    return XXH3_64bits_withSeed(&key, sizeof key, seed);
}

inline std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed = 0) noexcept {
    return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

// Maps a uniform 64-bit value onto [0, range) without a division (Lemire, "Fast random integer
// generation in an interval", ACM TOMACS 2019): the high word of the 128-bit product.
__extension__ using Uint128 = unsigned __int128;

inline std::uint64_t reduce(std::uint64_t hash, std::uint64_t range) noexcept {
    return static_cast<std::uint64_t>((static_cast<Uint128>(hash) * range) >> 64U);
}

}  // namespace ringlb::hashing
