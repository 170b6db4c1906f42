#pragma once

#include <random>
#include <string>
#include <string_view>

namespace ringlb::balancer {

// A replica name must be a valid container name, since the docker driver uses it as one:
// [a-zA-Z0-9][a-zA-Z0-9_.-]{1,62}, 2 to 63 characters.
bool is_valid_hostname(std::string_view name);

// A fresh name for a replica nobody named: "replica-" and 6 random lowercase letters and digits.
std::string random_hostname(std::mt19937_64& rng);

}  // namespace ringlb::balancer
