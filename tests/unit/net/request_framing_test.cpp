#include "net/request_framing.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

#include "net/request_reader.hpp"

namespace ringlb::net {
namespace {

namespace http = boost::beast::http;

TEST(RequestFraming, TransferEncodingMustBeChunkedAlone) {
    struct Row {
        std::string_view value;
        std::optional<FramingError> expected;
    };
    const Row rows[] = {
        {"chunked", std::nullopt},
        {"Chunked", std::nullopt},
        {" chunked ", std::nullopt},
        {", chunked,", std::nullopt},  // empty list elements count for nothing
        {"", FramingError::transfer_coding_not_chunked},
        {" , ", FramingError::transfer_coding_not_chunked},
        {"xchunked", FramingError::transfer_coding_not_chunked},
        {"chunkedx", FramingError::transfer_coding_not_chunked},
        {"gzip", FramingError::transfer_coding_not_chunked},
        {"identity", FramingError::transfer_coding_not_chunked},
        {"chunked, gzip", FramingError::transfer_coding_not_chunked},
        {"chunked;x=1", FramingError::transfer_coding_not_chunked},
        {"chunked, chunked", FramingError::chunked_twice},
        {"chunked, gzip, chunked", FramingError::chunked_twice},
        {"gzip, chunked", FramingError::unsupported_transfer_coding},
        {"gzip,deflate,chunked", FramingError::unsupported_transfer_coding},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(check_transfer_encoding(row.value), row.expected) << "'" << row.value << "'";
    }
}

TEST(RequestFraming, HostValues) {
    struct Row {
        std::string_view value;
        bool valid;
    };
    const Row rows[] = {
        {"", true},
        {"a", true},
        {"example.com", true},
        {"example.com:8080", true},
        {"example.com:", true},  // an empty port is allowed by RFC 3986
        {"127.0.0.1:80", true},
        {"[::1]", true},
        {"[::1]:8080", true},
        {"my_host-1.local", true},
        {"a%20b", true},
        {"a b", false},
        {"a/b", false},
        {"a?b", false},
        {"a#b", false},
        {"user@host", false},
        {"host:80:80", false},
        {"host:8x", false},
        {"[::1", false},
        {"[]", false},
        {"[::1]x", false},
        {"a[b]", false},
        {"caf\xc3\xa9", false},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(is_valid_host(row.value), row.valid) << "'" << row.value << "'";
    }
}

TEST(RequestFraming, AbsoluteTargetsAreSplit) {
    struct Row {
        std::string_view target;
        bool absolute;
        bool valid;
        std::string_view authority;
        std::string_view origin;
    };
    const Row rows[] = {
        {"/home", false, true, "", ""},
        {"*", false, true, "", ""},
        {"example.com:443", false, true, "", ""},  // authority-form (CONNECT)
        {"ftp://x/y", false, true, "", ""},
        {"http:/x", false, true, "", ""},
        {"http://x:8080/home?q=1", true, true, "x:8080", "/home?q=1"},
        {"HTTP://x/a/b", true, true, "x", "/a/b"},
        {"https://x", true, true, "x", ""},
        {"https://x?q", true, true, "x", "?q"},
        {"http://[::1]:80/", true, true, "[::1]:80", "/"},
        {"http://", true, false, "", ""},
        {"http:///home", true, false, "", "/home"},
        {"http://:80/home", true, false, ":80", "/home"},
        {"http://user@x/home", true, false, "user@x", "/home"},
        {"http://x#frag", true, false, "x#frag", ""},
    };
    for (const auto& row : rows) {
        boost::system::error_code ec;
        const auto split = split_absolute_target(row.target, ec);
        ASSERT_EQ(split.has_value(), row.absolute) << row.target;
        EXPECT_EQ(!ec, row.valid) << row.target;
        if (!row.valid) {
            EXPECT_EQ(ec, FramingError::bad_absolute_target) << row.target;
        }
        if (split) {
            EXPECT_EQ(split->authority, row.authority) << row.target;
            EXPECT_EQ(split->origin, row.origin) << row.target;
        }
    }
}

TEST(RequestFraming, RefusalsAreAnsweredWithTheirReason) {
    struct Row {
        boost::system::error_code ec;
        http::status status;
        std::string_view message;
    };
    const Row rows[] = {
        {FramingError::transfer_coding_not_chunked, http::status::bad_request,
         "<Error> malformed request: Transfer-Encoding does not end in chunked"},
        {FramingError::chunked_twice, http::status::bad_request,
         "<Error> malformed request: Transfer-Encoding names chunked more than once"},
        {FramingError::unsupported_transfer_coding, http::status::not_implemented,
         "<Error> transfer codings other than chunked are not supported"},
        {FramingError::transfer_encoding_in_http10, http::status::bad_request,
         "<Error> malformed request: Transfer-Encoding in an HTTP/1.0 request"},
        {FramingError::missing_host, http::status::bad_request,
         "<Error> malformed request: HTTP/1.1 request without a Host header"},
        {FramingError::repeated_host, http::status::bad_request,
         "<Error> malformed request: more than one Host header"},
        {FramingError::bad_host, http::status::bad_request,
         "<Error> malformed request: invalid Host header"},
        {FramingError::bad_absolute_target, http::status::bad_request,
         "<Error> malformed request: invalid authority in an absolute-form target"},
        {http::error::bad_transfer_encoding, http::status::bad_request,
         "<Error> malformed request: bad Transfer-Encoding"},
    };
    for (const auto& row : rows) {
        const Response answer = read_failure_answer(row.ec);
        EXPECT_EQ(answer.status, row.status) << row.message;
        EXPECT_NE(answer.body.find(row.message), std::string::npos) << answer.body;
    }
}

}  // namespace
}  // namespace ringlb::net
