#include "net/url.hpp"

#include <charconv>

namespace ringlb::net {

std::optional<HttpUrl> parse_http_url(std::string_view text) {
    constexpr std::string_view kScheme = "http://";
    if (!text.starts_with(kScheme)) {
        return std::nullopt;
    }
    text.remove_prefix(kScheme.size());
    HttpUrl url;
    const auto slash = text.find('/');
    std::string_view authority = text.substr(0, slash);
    if (slash != std::string_view::npos) {
        url.target = std::string(text.substr(slash));
    }
    std::string_view port_text;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        url.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (!authority.empty()) {
            if (authority.front() != ':') {
                return std::nullopt;
            }
            port_text = authority.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
        }
    }
    if (url.host.empty()) {
        return std::nullopt;
    }
    if (!port_text.empty()) {
        std::uint16_t port = 0;
        const auto [end, ec] = std::from_chars(port_text.begin(), port_text.end(), port);
        if (ec != std::errc() || end != port_text.end() || port == 0) {
            return std::nullopt;
        }
        url.port = port;
    }
    return url;
}

}  // namespace ringlb::net
