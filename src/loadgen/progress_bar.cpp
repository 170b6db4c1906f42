#include "loadgen/progress_bar.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace ringlb::loadgen {

std::string progress_line(const RunProgress& progress, std::size_t width) {
    const double fraction = progress.total == 0
                                ? 1.0
                                : std::min(1.0, static_cast<double>(progress.completed) /
                                                    static_cast<double>(progress.total));
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(width));
    std::string line = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
    std::array<char, 128> tail{};
    std::snprintf(tail.data(), tail.size(), " %llu/%llu %3.0f%%  %llu failed  %.1f s",
                  static_cast<unsigned long long>(progress.completed),
                  static_cast<unsigned long long>(progress.total), fraction * 100.0,
                  static_cast<unsigned long long>(progress.failed),
                  std::chrono::duration<double>(progress.elapsed).count());
    return line + tail.data();
}

}  // namespace ringlb::loadgen
