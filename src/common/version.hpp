#pragma once

#include <string>
#include <string_view>

namespace ringlb::build {

// What a binary is: the project version (project(VERSION) in CMakeLists.txt), the commit it was
// built from (abbreviated, "-dirty" with uncommitted changes, "unknown" outside git) and the
// CMake build type. Every program reports the same three, from one generated file.
struct BuildInfo {
    std::string_view version;
    std::string_view commit;
    std::string_view build_type;
};

BuildInfo build_info();

// What `PROGRAM --version` prints: "PROGRAM VERSION" first (the line help2man and scripts
// read), then the commit and the build type, one per line, no trailing newline.
std::string version_text(std::string_view program, const BuildInfo& info);
inline std::string version_text(std::string_view program) {
    return version_text(program, build_info());
}

// The Prometheus gauge /metrics carries: its HELP and TYPE lines and
// ringlb_build_info{version="...",commit="...",build_type="..."} 1, label values escaped.
std::string build_info_metric(const BuildInfo& info);

}  // namespace ringlb::build
