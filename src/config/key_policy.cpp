#include "config/key_policy.hpp"

namespace ringlb::balancer {

namespace {

constexpr std::string_view kRequestIdHeader = "X-Request-Id";
constexpr std::string_view kCookieHeader = "Cookie";

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

}  // namespace ringlb::balancer
