#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringlb::net {

// An http:// URL: host (name, IPv4, or IPv6 without brackets), port, and target (path + query).
struct HttpUrl {
    std::string host;
    std::uint16_t port = 80;
    std::string target = "/";
};

// Parses "http://HOST[:PORT][/TARGET]"; nullopt for anything else (other schemes, bad ports).
std::optional<HttpUrl> parse_http_url(std::string_view text);

}  // namespace ringlb::net
