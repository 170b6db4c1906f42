#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ringlb::balancer {

// A validated /add or /rm payload: {"n": 4, "hostnames": ["S5", "S4"]}.
struct ReplicaChange {
    std::uint32_t n = 0;
    std::vector<std::string> hostnames;  // at most n, valid, distinct
};

// A 400 answer's message, always starting with "<Error> ".
struct AdminError {
    std::string message;
};

enum class ChangeKind { add, remove };

// Parses and checks a payload on its own (docs/contract.md: malformed JSON, bad n, bad or duplicate
// names, more hostnames than n). Checks against the current replicas come after, in check_add and
// check_remove.
std::variant<ReplicaChange, AdminError> parse_change(std::string_view body, ChangeKind kind);

// The checks of an /add against the current replica names: none of the new names may be taken,
// and the total may not pass max_replicas. Returns an error or nothing.
std::optional<AdminError> check_add(const ReplicaChange& change,
                                    const std::vector<std::string>& current,
                                    std::size_t max_replicas);

// The checks of an /rm: every named replica exists, and n is at most the number of replicas.
std::optional<AdminError> check_remove(const ReplicaChange& change,
                                       const std::vector<std::string>& current);

}  // namespace ringlb::balancer
