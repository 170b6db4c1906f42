#include "balancer/key_policy.hpp"

namespace ringlb::balancer {

namespace {

constexpr std::string_view kRequestIdHeader = "X-Request-Id";
constexpr std::string_view kCookieHeader = "Cookie";
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

std::string_view KeyPolicy::header_to_capture() const {
    switch (source) {
        case Source::automatic:
            return kRequestIdHeader;
        case Source::header:
            return name;
        case Source::cookie:
            return kCookieHeader;
        case Source::random:
        case Source::path:
        case Source::client_ip:
            return {};
    }
    return {};
}

std::optional<KeyPolicy> parse_key_policy(std::string_view text) {
    using Source = KeyPolicy::Source;
    if (text == "auto") {
        return KeyPolicy{Source::automatic, {}};
    }
    if (text == "random") {
        return KeyPolicy{Source::random, {}};
    }
    if (text == "path") {
        return KeyPolicy{Source::path, {}};
    }
    if (text == "client-ip") {
        return KeyPolicy{Source::client_ip, {}};
    }
    for (const auto& [prefix, source] : {std::pair{std::string_view("header:"), Source::header},
                                         std::pair{std::string_view("cookie:"), Source::cookie}}) {
        if (text.starts_with(prefix) && text.size() > prefix.size()) {
            const std::string_view name = text.substr(prefix.size());
            if (name.find_first_of(" \t:;=,\r\n") != std::string_view::npos) {
                return std::nullopt;
            }
            return KeyPolicy{source, std::string(name)};
        }
    }
    return std::nullopt;
}

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
                         std::string_view target, std::string_view client_ip,
                         std::mt19937_64& rng) {
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
            return hashing::key_from_string(target.substr(0, target.find('?')));
        case Source::client_ip:
            return hashing::key_from_string(client_ip);
    }
    return random_request_id(rng);
}

}  // namespace ringlb::balancer
