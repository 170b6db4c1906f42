#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "loadgen/simulation.hpp"

namespace ringlb::loadgen {

// One simulated configuration and what it measured.
struct SimulationRun {
    std::string algorithm;  // as named on the command line, resolved ("default" → its name)
    SimulationParams params;
    SimulationResult result;
};

// The human-readable table: one row per run, then each run's shares when N is small enough to
// read them.
void print_table(std::ostream& out, const std::vector<SimulationRun>& runs);

// One JSON object per run, one per line. Fields: algorithm, replicas, keys, seed, key_space,
// shares, peak_to_mean, stddev, remove and add ({server_id, moved, spurious, ideal}; remove is
// null when N = 1), and the algorithm's parameters.
void print_json(std::ostream& out, const std::vector<SimulationRun>& runs);

}  // namespace ringlb::loadgen
