#include "loadgen/path_mix.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <set>

#include "hashing/classic_functions.hpp"

namespace ringlb::loadgen {

namespace {

// Mixed into the seed so that the path draws are not the key draws: with the same sequence, a
// key's value would decide its path, and one path would reach only some replicas.
constexpr std::uint64_t kPathSeedSalt = 0x7061746873000000;  // "paths"

bool visible_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < '\x7f'; });
}

std::variant<std::uint64_t, std::string> parse_weight(std::string_view text) {
    if (text.empty()) {
        return std::string("a weight must follow '='");
    }
    std::uint64_t weight = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), weight);
    const bool whole = ec == std::errc{} && end == text.data() + text.size();
    if (!whole || weight == 0 || weight > kMaxPathWeight) {
        return "weight '" + std::string(text) + "' is not an integer in 1.." +
               std::to_string(kMaxPathWeight);
    }
    return weight;
}

}  // namespace

std::variant<WeightedPath, std::string> parse_weighted_path(std::string_view text) {
    const auto equals = text.rfind('=');
    const std::string_view path = text.substr(0, equals);
    WeightedPath parsed{.path = std::string(path)};
    if (equals != std::string_view::npos) {
        auto weight = parse_weight(text.substr(equals + 1));
        if (auto* error = std::get_if<std::string>(&weight)) {
            return *error + " (in '" + std::string(text) + "')";
        }
        parsed.weight = std::get<std::uint64_t>(weight);
    }
    if (!path.starts_with('/')) {
        return "path '" + parsed.path + "' does not start with '/'";
    }
    if (!visible_ascii(path)) {
        return "path '" + parsed.path + "' holds a space or a character that is not ASCII";
    }
    return parsed;
}

std::optional<std::string> mix_problem(std::span<const WeightedPath> mix) {
    std::set<std::string_view> seen;
    for (const WeightedPath& entry : mix) {
        if (!seen.insert(entry.path).second) {
            return "path '" + entry.path + "' is given twice";
        }
    }
    return std::nullopt;
}

std::size_t choose_path(std::span<const std::uint64_t> weights, std::uint64_t draw) {
    const std::uint64_t total = std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
    __extension__ using Uint128 = unsigned __int128;
    auto point = static_cast<std::uint64_t>((static_cast<Uint128>(draw) * total) >> 64U);
    for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
        if (point < weights[i]) {
            return i;
        }
        point -= weights[i];
    }
    return weights.size() - 1;
}

PathStream::PathStream(std::span<const WeightedPath> mix, std::uint64_t seed)
    : draws_(hashing::splitmix64(seed ^ kPathSeedSalt), KeySpace::kUniform) {
    weights_.reserve(mix.size());
    for (const WeightedPath& entry : mix) {
        weights_.push_back(entry.weight);
    }
}

std::size_t PathStream::next() {
    return choose_path(weights_, draws_.next());
}

}  // namespace ringlb::loadgen
