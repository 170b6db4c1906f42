#include "hashing/algorithm.hpp"

#include <string>

namespace ringlb::hashing {

std::string_view algorithm_name(Algorithm algorithm) noexcept {
    switch (algorithm) {
        case Algorithm::kClassic:
            return "classic";
        case Algorithm::kRing:
            return "ring";
        case Algorithm::kMaglev:
            return "maglev";
        case Algorithm::kMaglevIncremental:
            return "maglev-incremental";
    }
    return "unknown";  // unreachable: the switch covers every enumerator (-Wswitch checks it)
}

Parsed<Algorithm> parse_algorithm(std::string_view name) {
    if (name == "default") {
        return Parsed<Algorithm>::success(kDefaultAlgorithm);
    }
    std::string accepted;
    for (const Algorithm algorithm : kAllAlgorithms) {
        if (name == algorithm_name(algorithm)) {
            return Parsed<Algorithm>::success(algorithm);
        }
        accepted.append(algorithm_name(algorithm)).append(", ");
    }
    accepted.append("default");
    return Parsed<Algorithm>::failure("unknown hash algorithm '" + std::string(name) +
                                      "' (expected one of: " + accepted + ")");
}

}  // namespace ringlb::hashing
