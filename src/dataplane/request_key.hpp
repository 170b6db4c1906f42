#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "config/key_policy.hpp"
#include "hashing/key.hpp"

namespace ringlb::balancer {

// The request's key under `policy`: `captured` is the value of header_to_capture() (if present),
// `path` the target without its query (RequestHead::path()), `client_ip` the peer address as text.
// Falls back to a random 6-digit request ID (100000..999999) when the policy's source is absent.
hashing::Key request_key(const KeyPolicy& policy, const std::string* captured,
                         std::string_view path, std::string_view client_ip, std::mt19937_64& rng);

// The value of cookie `name` in a Cookie header, if any.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

}  // namespace ringlb::balancer
