#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace ringlb::net {

// JSON text in the spacing docs/contract.md shows ({"a": 1, "b": [2, 3]}), which is Python's
// json.dumps default and what the assignment's clients compare against character for character.
// Doubles are written in fixed notation with the fewest digits that round-trip (Boost.JSON's own
// serializer would print 0.84 as 8.4E-1); NaN and infinities, which JSON lacks, as null.
std::string to_spec_json(const boost::json::value& value);

// the contract's answer shape: {"message": <message>, "status": "successful" | "failure"}.
std::string json_reply(const boost::json::value& message, bool success);
std::string json_reply(std::string_view message, bool success);
inline std::string json_reply(const char* message, bool success) {
    return json_reply(std::string_view(message), success);
}

}  // namespace ringlb::net
