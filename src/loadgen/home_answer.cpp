#include "loadgen/home_answer.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace ringlb::loadgen {

namespace {
constexpr std::string_view kGreeting = "Hello from Server: ";
}  // namespace

std::optional<std::uint32_t> parse_server_id(std::string_view body) {
    boost::system::error_code ec;
    const boost::json::value answer = boost::json::parse(body, ec);
    if (ec || !answer.is_object()) {
        return std::nullopt;
    }
    const boost::json::value* message = answer.get_object().if_contains("message");
    if (message == nullptr || !message->is_string()) {
        return std::nullopt;
    }
    const std::string_view text = message->get_string();
    if (!text.starts_with(kGreeting)) {
        return std::nullopt;
    }
    const std::string_view digits = text.substr(kGreeting.size());
    std::uint32_t id = 0;
    const auto [end, parse_ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (parse_ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        return std::nullopt;
    }
    return id;
}

}  // namespace ringlb::loadgen
