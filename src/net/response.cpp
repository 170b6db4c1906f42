#include "net/response.hpp"

namespace ringlb::net {

void serialize(const Response& response, std::string_view date, bool keep_alive, bool head_only,
               std::string& out) {
    const auto code = static_cast<unsigned>(response.status);
    out += "HTTP/1.1 ";
    out += std::to_string(code);
    out += ' ';
    out += boost::beast::http::obsolete_reason(response.status);
    out += "\r\nDate: ";
    out += date;
    if (!response.content_type.empty()) {
        out += "\r\nContent-Type: ";
        out += response.content_type;
    }
    if (!response.allow.empty()) {
        out += "\r\nAllow: ";
        out += response.allow;
    }
    out += "\r\nContent-Length: ";
    out += std::to_string(response.body.size());
    if (!keep_alive) {
        out += "\r\nConnection: close";
    }
    out += "\r\n\r\n";
    if (!head_only) {
        out += response.body;
    }
}

}  // namespace ringlb::net
