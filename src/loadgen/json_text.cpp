#include "loadgen/json_text.hpp"

#include <cmath>

#include "common/json_reply.hpp"

namespace ringlb::loadgen {

std::string to_json_text(const boost::json::value& value) {
    return net::to_spec_json(value);
}

double rounded(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

}  // namespace ringlb::loadgen
