#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/simulation.hpp"

namespace ringlb::loadgen {

// What each request carries in its key header.
struct RequestIds {
    enum class Mode : std::uint8_t {
        kRandom,  // a 6-digit ID drawn from `seed`: the same stream `simulate --key-space
                  // six-digit` draws, so a run with seed S sends exactly the keys simulate places
                  // with seed S
        kNone,    // no header: the load balancer picks the key itself
        kFixed,   // `fixed` in turn, round-robin: a known, small set of keys
    };
    Mode mode = Mode::kRandom;
    std::uint64_t seed = 1;
    std::vector<std::string> fixed;
};

// Hands out the key of each request in order. Not thread-safe; one per run.
class RequestIdSource {
  public:
    // Throws std::invalid_argument for kFixed with an empty list.
    explicit RequestIdSource(const RequestIds& ids);

    // The next request's key, or nothing when requests carry none.
    std::optional<std::string> next();

  private:
    RequestIds ids_;
    KeyStream stream_;
    std::size_t next_fixed_ = 0;
};

// Parses "random", "none" or a comma-separated list of keys, for --request-ids. The seed is set
// separately.
std::optional<RequestIds> parse_request_ids(const std::string& text);

// A short name for reports: "random", "none", or "fixed:3" for a set of three keys.
std::string describe(const RequestIds& ids);

}  // namespace ringlb::loadgen
