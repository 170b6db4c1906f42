#include "config/replica_env.hpp"

#include <algorithm>
#include <set>

namespace ringlb::balancer {

namespace {

// Spaces, tabs, newlines and the other control characters (and DEL): never part of a name a
// program could look up reliably.
bool is_blank_or_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || byte == 0x7F;
}

}  // namespace

std::string_view replica_env_key(std::string_view entry) {
    return entry.substr(0, entry.find('='));
}

std::optional<std::string> replica_env_problem(std::string_view entry) {
    const std::string quoted = "'" + std::string(entry) + "'";
    if (entry.find('=') == std::string_view::npos) {
        return quoted + " is not KEY=VALUE (no '=')";
    }
    const std::string_view key = replica_env_key(entry);
    if (key.empty()) {
        return quoted + " has an empty key";
    }
    if (std::any_of(key.begin(), key.end(), is_blank_or_control)) {
        return quoted + " has whitespace or a control character in its key";
    }
    if (std::find(kReservedReplicaEnv.begin(), kReservedReplicaEnv.end(), key) !=
        kReservedReplicaEnv.end()) {
        return quoted + ": ringlb sets " + std::string(key) + " itself, for each replica";
    }
    return std::nullopt;
}

std::optional<std::string> replica_env_problem(const std::vector<std::string>& entries) {
    std::set<std::string_view> keys;
    for (const auto& entry : entries) {
        if (auto problem = replica_env_problem(entry)) {
            return problem;
        }
        if (!keys.insert(replica_env_key(entry)).second) {
            return std::string(replica_env_key(entry)) + " is given more than once";
        }
    }
    return std::nullopt;
}

}  // namespace ringlb::balancer
