#pragma once

#include <optional>
#include <string_view>

namespace ringlb::net {

// The value of header `name` (case-insensitive) in a block of "Name: value\r\n" lines, as kept by
// RequestParser in RequestHead::forward_headers. For the rare paths (admin authorisation); the
// request path captures the one header it needs while parsing.
std::optional<std::string_view> find_header(std::string_view lines, std::string_view name);

// The token of an "Authorization: Bearer TOKEN" value. The scheme is case-insensitive (RFC 9110
// §11.1: "bearer", "BEARER" are the same) and spaces may follow it; nothing for another scheme or
// an empty token.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// Compares two secrets in time that depends only on their lengths, so a token cannot be guessed
// byte by byte from how fast it is refused.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace ringlb::net
