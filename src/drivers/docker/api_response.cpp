#include "drivers/docker/api_response.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace ringlb::drivers {

namespace {

// Error bodies are short; an HTML page from something that is not the daemon is cut here.
constexpr std::size_t kMaxMessageLength = 300;

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

}  // namespace

std::string daemon_message(std::string_view body) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(body, ec);
    if (!ec && value.is_object()) {
        if (const auto* message = value.as_object().if_contains("message");
            message && message->is_string()) {
            return std::string(message->as_string());
        }
    }
    return std::string(trim(body).substr(0, kMaxMessageLength));
}

std::string describe_failure(const ApiResponse& response, std::string_view socket_path) {
    if (response.error == boost::beast::error::timeout) {
        return "Docker daemon at " + std::string(socket_path) + " did not answer in time";
    }
    if (response.error) {
        return "Docker daemon not reachable at " + std::string(socket_path) + ": " +
               response.error.message();
    }
    std::string text = "Docker daemon answered " + std::to_string(response.status);
    if (const auto message = daemon_message(response.body); !message.empty()) {
        text += ": " + message;
    }
    return text;
}

}  // namespace ringlb::drivers
