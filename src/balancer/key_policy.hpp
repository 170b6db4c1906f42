#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "hashing/key.hpp"

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

// The request's key under `policy`: `captured` is the value of header_to_capture() (if present),
// `path` the target without query, `client_ip` the peer address as text. Falls back to a random
// 6-digit request ID (100000..999999) when the policy's source is absent.
hashing::Key request_key(const KeyPolicy& policy, const std::string* captured,
                         std::string_view target, std::string_view client_ip,
                         std::mt19937_64& rng);

// The value of cookie `name` in a Cookie header, if any.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

}  // namespace ringlb::balancer
