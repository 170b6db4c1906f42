#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace ringlb::loadgen {

// Compact JSON text whose numbers read as people write them: Boost.JSON's serializer prints
// doubles in scientific notation with a capital E (0.84 becomes 8.4E-1), which is valid but hard
// to read in a report and in diffs. Doubles are written in fixed notation with the fewest digits
// that round-trip; callers round them to the precision that means something first.
std::string to_json_text(const boost::json::value& value);

// `value` rounded to `decimals` places, for numbers bound for to_json_text.
double rounded(double value, int decimals);

}  // namespace ringlb::loadgen
