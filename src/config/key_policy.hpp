#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringlb::balancer {

// Where a request's hash key comes from (--hash-key).
struct KeyPolicy {
    enum class Source {
        automatic,  // the X-Request-Id header when present, else a random 6-digit ID
        random,     // a fresh random 6-digit ID per request: the assignment's model
        header,     // the named header (random when absent)
        cookie,     // the named cookie (random when absent)
        path,       // the request path, query excluded
        client_ip,  // the client's address
    };
    Source source = Source::automatic;
    std::string name;  // the header or cookie name

    // The header the request parser must capture: X-Request-Id, the named header, Cookie, or none.
    std::string_view header_to_capture() const;
};

// Parses "auto", "random", "header:NAME", "cookie:NAME", "path", "client-ip".
std::optional<KeyPolicy> parse_key_policy(std::string_view text);

}  // namespace ringlb::balancer
