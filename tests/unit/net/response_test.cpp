#include "net/response.hpp"

#include <gtest/gtest.h>

namespace ringlb::net {
namespace {

namespace http = boost::beast::http;
constexpr std::string_view kDate = "Sat, 21 Nov 2026 10:00:00 GMT";

TEST(Response, SerializesStatusHeadersAndBody) {
    std::string out;
    serialize({http::status::ok, "{}"}, kDate, true, false, out);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\n"
              "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(Response, CloseAndAllowAndHead) {
    std::string out;
    serialize({http::status::method_not_allowed, "xyz", "application/json", "GET, HEAD"}, kDate,
              false, true, out);
    EXPECT_NE(out.find("HTTP/1.1 405 Method Not Allowed\r\n"), std::string::npos);
    EXPECT_NE(out.find("Allow: GET, HEAD\r\n"), std::string::npos);
    EXPECT_NE(out.find("Content-Length: 3\r\n"), std::string::npos);
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
    EXPECT_TRUE(out.ends_with("\r\n\r\n")) << "HEAD answers carry no body";
}

TEST(Response, EmptyBodyWithoutContentType) {
    std::string out;
    serialize({http::status::ok, "", ""}, kDate, true, false, out);
    EXPECT_EQ(out.find("Content-Type"), std::string::npos);
    EXPECT_NE(out.find("Content-Length: 0\r\n\r\n"), std::string::npos);
}

}  // namespace
}  // namespace ringlb::net
