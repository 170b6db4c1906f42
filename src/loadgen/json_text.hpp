#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace ringlb::loadgen {

// JSON text whose numbers read as people write them (net::to_spec_json: 0.84, not Boost.JSON's
// 8.4E-1); callers round doubles to the precision that means something first.
std::string to_json_text(const boost::json::value& value);

// `value` rounded to `decimals` places, for numbers bound for to_json_text.
double rounded(double value, int decimals);

}  // namespace ringlb::loadgen
