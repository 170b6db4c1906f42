#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hashing/config.hpp"

namespace ringlb::loadgen {

// Which keys a simulation draws.
enum class KeySpace : std::uint8_t {
    kUniform,   // uniform 64-bit keys: what a header or cookie hashes to
    kSixDigit,  // the assignment's request IDs, 100000..999999
};

struct SimulationParams {
    hashing::Config config;
    std::uint32_t replicas = 3;  // server IDs 1..N, weight 1
    std::uint64_t keys = 1'000'000;
    std::uint64_t seed = 1;
    KeySpace key_space = KeySpace::kUniform;
};

// How one membership change moved keys, as fractions of all keys.
struct Moves {
    std::uint32_t server_id = 0;  // the replica removed or added
    double moved = 0.0;           // keys whose owner changed
    double spurious = 0.0;        // moved although neither old nor new owner is the changed one
    double ideal = 0.0;           // what an ideal algorithm moves: 1/N on removal, 1/(N+1) on add
};

struct SimulationResult {
    std::vector<double> shares;   // per replica, by server ID: fraction of keys owned
    double peak_to_mean = 0.0;    // the largest share over the mean share 1/N
    double stddev = 0.0;          // population standard deviation of the shares
    std::optional<Moves> remove;  // one replica removed (absent when N = 1)
    Moves add;                    // replica N + 1 added
};

// Offline and deterministic: the same params give the same result on every run. The removed
// replica is chosen from the seed; the tables after each change are built with the original as
// `previous`, exactly as the control plane would. Throws std::invalid_argument for a bad config
// (from hashing::build_table) or replicas = 0.
SimulationResult simulate(const SimulationParams& params);

// Statistics over per-replica key counts; exposed for tests.
struct Balance {
    std::vector<double> shares;
    double peak_to_mean = 0.0;
    double stddev = 0.0;
};
Balance balance_of(const std::vector<std::uint64_t>& counts);

// The key stream: a SplitMix64 sequence, so it is the same on every platform and compiler.
class KeyStream {
  public:
    KeyStream(std::uint64_t seed, KeySpace space) noexcept : state_(seed), space_(space) {}
    std::uint64_t next() noexcept;

  private:
    std::uint64_t state_;
    KeySpace space_;
};

}  // namespace ringlb::loadgen
