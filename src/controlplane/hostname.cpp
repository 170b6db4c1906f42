#include "controlplane/hostname.hpp"

#include <algorithm>

namespace ringlb::balancer {

namespace {

// The Docker engine refuses one-character container names ([a-zA-Z0-9][a-zA-Z0-9_.-]+), and a
// replica's name must be usable by every driver.
constexpr std::size_t kMinHostnameLength = 2;
constexpr std::size_t kMaxHostnameLength = 63;

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_valid_hostname(std::string_view name) {
    if (name.size() < kMinHostnameLength || name.size() > kMaxHostnameLength ||
        !is_alnum(name.front())) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::string random_hostname(std::mt19937_64& rng) {
    constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    constexpr std::size_t kSuffixLength = 6;
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string name = "replica-";
    for (std::size_t i = 0; i < kSuffixLength; ++i) {
        name += kAlphabet[pick(rng)];
    }
    return name;
}

}  // namespace ringlb::balancer
