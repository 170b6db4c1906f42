#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ringlb::loadgen {

// The server ID in a replica's `/home` answer, {"message": "Hello from Server: 3", ...}
// (docs/contract.md), or nothing when the body is not such an answer (another endpoint, an error
// body, garbage).
std::optional<std::uint32_t> parse_server_id(std::string_view body);

}  // namespace ringlb::loadgen
