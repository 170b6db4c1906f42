#include "common/version.hpp"

namespace ringlb::build {

namespace {

// Prometheus text format: a label value escapes backslash, double quote and line feed.
std::string label_value(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string version_text(std::string_view program, const BuildInfo& info) {
    std::string out;
    out.append(program).append(" ").append(info.version);
    out.append("\ncommit ").append(info.commit);
    out.append("\nbuild type ").append(info.build_type);
    return out;
}

std::string build_info_metric(const BuildInfo& info) {
    std::string out =
        "# HELP ringlb_build_info The version, commit and build type of this ringlb; always 1.\n"
        "# TYPE ringlb_build_info gauge\n";
    out += "ringlb_build_info{version=\"" + label_value(info.version) + "\",commit=\"" +
           label_value(info.commit) + "\",build_type=\"" + label_value(info.build_type) + "\"} 1\n";
    return out;
}

}  // namespace ringlb::build
