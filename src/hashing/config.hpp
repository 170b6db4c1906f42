#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hashing/algorithm.hpp"
#include "hashing/parsed.hpp"

namespace ringlb::hashing {

// How `classic` resolves two virtual servers that want the same slot.
enum class Probing : std::uint8_t {
    kLinear,     // slot + 1, + 2, ... (the assignment's default)
    kQuadratic,  // slot + 1, + 4, + 9, ...
};

// The (H, Φ) pair `classic` uses: H places a request ID, Φ places virtual server j of server i.
enum class ClassicFunctions : std::uint8_t {
    kAssignment,  // H(i) = i² + 2i + 17, Φ(i, j) = i² + j² + 2j + 25 (docs/contract.md)
    kSplitMix,    // the SplitMix64 finalizer over i and (i, j)
    kXxh3,        // xxh3-64 over i and (i, j)
};

struct ClassicParams {
    std::uint32_t slots = 512;          // M
    std::uint32_t virtual_servers = 9;  // K = log2(512)
    ClassicFunctions functions = ClassicFunctions::kAssignment;
    Probing probing = Probing::kLinear;
};

struct RingParams {
    // Points per unit of weight. Measured over N = 2..100 (docs/hashing.md), the mean
    // peak-to-mean is 1.10 at nginx's 160, 1.08 at 256 and 1.04 at 1024; 256 keeps a
    // 1000-member ring at 256 k points (about 5 MB, built in about 30 ms).
    std::uint32_t virtual_nodes = 256;
};

struct MaglevParams {
    // Must be prime (Eisenbud et al. §3.4) and at least the member count; the paper suggests a
    // size well above 100 × the member count so that shares differ by under 1 %.
    std::uint32_t table_size = 65537;
};

struct BoundedLoadParams {
    // Absent: bounded loads off. Present: a member is skipped while it already holds more than
    // ⌈(1 + ε) · mean⌉ in-flight requests (see bounded_load.hpp). Must be > 0.
    std::optional<double> epsilon;
};

// Everything that selects and tunes an algorithm. Plain values: the CLI layers fill it from flags,
// build_table() validates it.
struct Config {
    Algorithm algorithm = kDefaultAlgorithm;
    ClassicParams classic;
    RingParams ring;
    MaglevParams maglev;
    BoundedLoadParams bounded_load;
};

// Parsers for the values the CLI layers take as text. Each failure names the accepted values.
Parsed<Probing> parse_probing(std::string_view name);                     // "linear", "quadratic"
Parsed<ClassicFunctions> parse_classic_functions(std::string_view name);  // "assignment", ...
Parsed<std::optional<double>> parse_bounded_load(std::string_view text);  // "off" or ε > 0

std::string_view probing_name(Probing probing) noexcept;
std::string_view classic_functions_name(ClassicFunctions functions) noexcept;

// The first thing wrong with `config`, or nothing. Only the parameters of the selected algorithm
// (and the bounded-load option) are checked.
std::optional<std::string> validate(const Config& config);

bool is_prime(std::uint32_t n) noexcept;

}  // namespace ringlb::hashing
