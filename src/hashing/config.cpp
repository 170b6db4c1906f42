#include "hashing/config.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace ringlb::hashing {

namespace {

// Upper bounds that keep every table within a few hundred megabytes and every index in 32 bits.
constexpr std::uint32_t kMaxClassicSlots = 1U << 24U;
constexpr std::uint32_t kMaxVirtualNodes = 1U << 16U;
constexpr std::uint32_t kMaxMaglevTableSize = 1U << 26U;

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

std::string_view probing_name(Probing probing) noexcept {
    switch (probing) {
        case Probing::kLinear:
            return "linear";
        case Probing::kQuadratic:
            return "quadratic";
    }
    return "unknown";  // unreachable
}

std::string_view classic_functions_name(ClassicFunctions functions) noexcept {
    switch (functions) {
        case ClassicFunctions::kAssignment:
            return "assignment";
        case ClassicFunctions::kSplitMix:
            return "splitmix";
        case ClassicFunctions::kXxh3:
            return "xxh3";
    }
    return "unknown";  // unreachable
}

Parsed<Probing> parse_probing(std::string_view name) {
    for (const Probing probing : {Probing::kLinear, Probing::kQuadratic}) {
        if (name == probing_name(probing)) {
            return Parsed<Probing>::success(probing);
        }
    }
    return Parsed<Probing>::failure("unknown probing " + quoted(name) +
                                    " (expected linear or quadratic)");
}

Parsed<ClassicFunctions> parse_classic_functions(std::string_view name) {
    for (const ClassicFunctions functions :
         {ClassicFunctions::kAssignment, ClassicFunctions::kSplitMix, ClassicFunctions::kXxh3}) {
        if (name == classic_functions_name(functions)) {
            return Parsed<ClassicFunctions>::success(functions);
        }
    }
    return Parsed<ClassicFunctions>::failure("unknown classic hash functions " + quoted(name) +
                                             " (expected assignment, splitmix or xxh3)");
}

Parsed<std::optional<double>> parse_bounded_load(std::string_view text) {
    using Result = Parsed<std::optional<double>>;
    if (text == "off") {
        return Result::success(std::nullopt);
    }
    double epsilon = 0.0;
    const auto* const end = text.data() + text.size();
    const auto [last, error] = std::from_chars(text.data(), end, epsilon);
    if (error != std::errc{} || last != end || !std::isfinite(epsilon) || epsilon <= 0.0) {
        return Result::failure("bad bounded-load epsilon " + quoted(text) +
                               " (expected off or a number > 0, e.g. 0.25)");
    }
    return Result::success(epsilon);
}

bool is_prime(std::uint32_t n) noexcept {
    if (n < 2) {
        return false;
    }
    for (std::uint32_t d = 2; static_cast<std::uint64_t>(d) * d <= n; ++d) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> validate(const Config& config) {
    if (config.bounded_load.epsilon) {
        const double epsilon = *config.bounded_load.epsilon;
        if (!std::isfinite(epsilon) || epsilon <= 0.0) {
            return "bounded-load epsilon must be a finite number > 0, got " +
                   std::to_string(epsilon);
        }
    }
    switch (config.algorithm) {
        case Algorithm::kClassic:
            if (config.classic.slots == 0 || config.classic.slots > kMaxClassicSlots) {
                return "classic slots (M) must be in 1.." + std::to_string(kMaxClassicSlots) +
                       ", got " + std::to_string(config.classic.slots);
            }
            if (config.classic.virtual_servers == 0) {
                return std::string("classic virtual servers (K) must be at least 1");
            }
            return std::nullopt;
        case Algorithm::kRing:
            if (config.ring.virtual_nodes == 0 || config.ring.virtual_nodes > kMaxVirtualNodes) {
                return "ring virtual nodes must be in 1.." + std::to_string(kMaxVirtualNodes) +
                       ", got " + std::to_string(config.ring.virtual_nodes);
            }
            return std::nullopt;
        case Algorithm::kMaglev:
        case Algorithm::kMaglevIncremental:
            if (!is_prime(config.maglev.table_size) ||
                config.maglev.table_size > kMaxMaglevTableSize) {
                return "maglev table size must be a prime up to " +
                       std::to_string(kMaxMaglevTableSize) + ", got " +
                       std::to_string(config.maglev.table_size);
            }
            return std::nullopt;
    }
    return std::string("unknown hash algorithm");  // unreachable
}

}  // namespace ringlb::hashing
