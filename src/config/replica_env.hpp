#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringlb::balancer {

// Variables ringlb sets in each replica's environment itself, with values of its own choosing
// (the replica's server ID and name), which --replica-env may therefore not set.
inline constexpr std::array<std::string_view, 2> kReservedReplicaEnv = {"SERVER_ID",
                                                                        "REPLICA_NAME"};

// The key of a "KEY=VALUE" entry: the text before its first '=' (all of it when there is none).
std::string_view replica_env_key(std::string_view entry);

// Why `entry` is not a usable --replica-env entry, in one line, or nullopt when it is: it needs a
// '=', a non-empty key without whitespace or control characters, and a key that is not reserved.
// The value is everything after the first '=', and may itself hold '='.
std::optional<std::string> replica_env_problem(std::string_view entry);

// The first problem of a whole list: a bad entry, or a key given twice.
std::optional<std::string> replica_env_problem(const std::vector<std::string>& entries);

}  // namespace ringlb::balancer
