#include "dataplane/request_key.hpp"

namespace ringlb::balancer {

namespace {

constexpr std::uint64_t kFirstRequestId = 100000;
constexpr std::uint64_t kLastRequestId = 999999;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

hashing::Key random_request_id(std::mt19937_64& rng) {
    return std::uniform_int_distribution<std::uint64_t>(kFirstRequestId, kLastRequestId)(rng);
}

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name) {
    while (!cookie_header.empty()) {
        const auto end = cookie_header.find(';');
        const std::string_view pair = trim(cookie_header.substr(0, end));
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return pair.substr(eq + 1);
        }
        if (end == std::string_view::npos) {
            break;
        }
        cookie_header.remove_prefix(end + 1);
    }
    return std::nullopt;
}

hashing::Key request_key(const KeyPolicy& policy, const std::string* captured,
                         std::string_view path, std::string_view client_ip, std::mt19937_64& rng) {
    using Source = KeyPolicy::Source;
    switch (policy.source) {
        case Source::automatic:
        case Source::header:
            return captured != nullptr ? hashing::key_from_string(trim(*captured))
                                       : random_request_id(rng);
        case Source::cookie:
            if (captured != nullptr) {
                if (const auto value = find_cookie(*captured, policy.name)) {
                    return hashing::key_from_string(*value);
                }
            }
            return random_request_id(rng);
        case Source::random:
            return random_request_id(rng);
        case Source::path:
            return hashing::key_from_string(path);
        case Source::client_ip:
            return hashing::key_from_string(client_ip);
    }
    return random_request_id(rng);
}

}  // namespace ringlb::balancer
