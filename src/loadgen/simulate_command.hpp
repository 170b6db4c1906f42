#pragma once

#include <CLI/App.hpp>

namespace ringlb::loadgen {

// Registers `ringlb-load simulate` on `app`: runs the hashing algorithms offline on seeded keys and
// prints balance and key movement (see docs/hashing.md). The command's options live in the
// subcommand; the callback runs it when the subcommand is chosen.
void add_simulate_command(CLI::App& app);

}  // namespace ringlb::loadgen
