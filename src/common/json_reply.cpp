#include "common/json_reply.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace ringlb::net {

namespace json = boost::json;

namespace {

void append_double(double value, std::string& out) {
    if (!std::isfinite(value)) {
        // JSON has no NaN or infinity; null is what Python's json module reads back as None.
        out += "null";
        return;
    }
    std::array<char, 400> buffer{};  // fixed notation of the largest double needs 309 digits
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                         std::chars_format::fixed);
    out.append(buffer.data(), end);
}

void append(const json::value& value, std::string& out) {
    switch (value.kind()) {
        case json::kind::object: {
            out += '{';
            const char* separator = "";
            for (const auto& [key, item] : value.get_object()) {
                out += separator;
                out += json::serialize(json::string_view(key));
                out += ": ";
                append(item, out);
                separator = ", ";
            }
            out += '}';
            return;
        }
        case json::kind::array: {
            out += '[';
            const char* separator = "";
            for (const auto& item : value.get_array()) {
                out += separator;
                append(item, out);
                separator = ", ";
            }
            out += ']';
            return;
        }
        case json::kind::double_:
            append_double(value.get_double(), out);
            return;
        case json::kind::null:
        case json::kind::bool_:
        case json::kind::int64:
        case json::kind::uint64:
        case json::kind::string:
            out += json::serialize(value);
            return;
    }
}

}  // namespace

std::string to_spec_json(const json::value& value) {
    std::string out;
    append(value, out);
    return out;
}

std::string json_reply(const json::value& message, bool success) {
    json::object reply;
    reply["message"] = message;
    reply["status"] = success ? "successful" : "failure";
    return to_spec_json(reply);
}

std::string json_reply(std::string_view message, bool success) {
    return json_reply(json::value(json::string(message)), success);
}

}  // namespace ringlb::net
