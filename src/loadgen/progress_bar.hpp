#pragma once

#include <string>

#include "loadgen/load_run.hpp"

namespace ringlb::loadgen {

// One line of a terminal progress bar, without the carriage return that redraws it:
// "[#########...........]  4500/10000  45%  3 failed  1.2 s".
std::string progress_line(const RunProgress& progress, std::size_t width = 30);

}  // namespace ringlb::loadgen
