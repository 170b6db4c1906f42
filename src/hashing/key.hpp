#pragma once

#include <cstdint>
#include <string_view>

namespace ringlb::hashing {

// What the data plane hands to a table: one 64-bit value per request, extracted from the request
// once (header, cookie, path, random ID) before any algorithm sees it.
using Key = std::uint64_t;

// A string of decimal digits that fits in 64 bits is its integer value, so the assignment's
// 6-digit request IDs reach `classic`'s H(i) unchanged ("000123" is 123). Anything else (empty,
// signs, letters, overflow) is the xxh3-64 hash of its bytes.
//
// Integer keys are not spread over 64 bits, so every algorithm except `classic` mixes the key
// itself before using it.
Key key_from_string(std::string_view text) noexcept;

}  // namespace ringlb::hashing
