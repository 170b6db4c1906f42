#include "hashing/key.hpp"

#include <limits>

#include "hashing/key_mix.hpp"

namespace ringlb::hashing {

namespace {

constexpr Key kMaxKey = std::numeric_limits<Key>::max();

}  // namespace

Key key_from_string(std::string_view text) noexcept {
    if (text.empty()) {
        return hash_bytes(text);
    }
    Key value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return hash_bytes(text);
        }
        const auto digit = static_cast<Key>(c - '0');
        if (value > (kMaxKey - digit) / 10) {
            return hash_bytes(text);
        }
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace ringlb::hashing
