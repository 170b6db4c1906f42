#pragma once

#include <string>

namespace ringlb::balancer {

// Appends a metric's "# HELP" and "# TYPE" lines in Prometheus text format (version 0.0.4).
inline void prometheus_help(std::string& out, const char* name, const char* type,
                            const char* text) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += text;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

}  // namespace ringlb::balancer
