#include "net/request_parser.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

#include "net/header_lines.hpp"
#include "net/request_framing.hpp"

namespace ringlb::net {
namespace {

namespace http = boost::beast::http;

// Feeds `text` in pieces of `step` bytes, as a socket might deliver it.
boost::system::error_code feed(RequestParser& parser, std::string_view text, std::size_t step) {
    std::string pending;
    boost::system::error_code ec;
    for (std::size_t pos = 0; pos < text.size() && !parser.is_done(); pos += step) {
        pending.append(text.substr(pos, step));
        const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
        pending.erase(0, used);
        if (ec == http::error::need_more) {
            ec = {};
        } else if (ec) {
            return ec;
        }
    }
    return ec;
}

TEST(RequestParser, KeepsRequestLineKeyHeaderAndBody) {
    RequestHead head;
    RequestParser parser(head, "X-Request-Id");
    parser.eager(true);
    const std::string text =
        "POST /api/items?x=1 HTTP/1.1\r\nHost: a\r\nx-request-id: 123456\r\n"
        "Content-Length: 5\r\n\r\nhello";
    for (const std::size_t step : {text.size(), std::size_t{1}, std::size_t{7}}) {
        RequestParser p(head, "X-Request-Id");
        p.eager(true);
        ASSERT_FALSE(feed(p, text, step)) << "step " << step;
        EXPECT_TRUE(p.is_done());
        EXPECT_EQ(head.method, http::verb::post);
        EXPECT_EQ(head.target, "/api/items?x=1");
        EXPECT_EQ(head.path(), "/api/items");
        EXPECT_TRUE(head.has_key_header);
        EXPECT_EQ(head.key_header_value, "123456");
        EXPECT_EQ(head.body, "hello");
        EXPECT_TRUE(p.keep_alive());
    }
}

TEST(RequestParser, PathIsTheTargetBeforeAnyQuery) {
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"/home", "/home"}, {"/home?", "/home"}, {"/a?b?c", "/a"}, {"/?x=1", "/"}};
    for (const auto& [target, path] : rows) {
        RequestHead head;
        RequestParser parser(head, {});
        ASSERT_FALSE(feed(parser, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", 100)) << target;
        EXPECT_EQ(head.target, target);
        EXPECT_EQ(head.path(), path) << target;
    }
}

TEST(RequestParser, ChunkedBodyIsDecoded) {
    RequestHead head;
    RequestParser parser(head, {});
    parser.eager(true);
    ASSERT_FALSE(feed(parser,
                      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                      1000));
    EXPECT_TRUE(parser.is_done());
    EXPECT_EQ(head.body, "abcde");
}

TEST(RequestParser, ConnectionCloseAndHttp10) {
    RequestHead head;
    RequestParser closing(head, {});
    ASSERT_FALSE(feed(closing, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 100));
    EXPECT_FALSE(closing.keep_alive());
    RequestParser old(head, {});
    ASSERT_FALSE(feed(old, "GET / HTTP/1.0\r\n\r\n", 100));
    EXPECT_FALSE(old.keep_alive());
    EXPECT_EQ(head.version, 10U);
}

TEST(RequestParser, MissingKeyHeaderIsReported) {
    RequestHead head;
    head.key_header_value = "stale";
    RequestParser parser(head, "X-Request-Id");
    ASSERT_FALSE(feed(parser, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 100));
    EXPECT_FALSE(head.has_key_header);
    EXPECT_TRUE(head.key_header_value.empty());
}

TEST(RequestParser, Limits) {
    RequestHead head;
    RequestParser small_header(head, {});
    small_header.header_limit(64);
    EXPECT_EQ(
        feed(small_header, "GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 1000),
        http::error::header_limit);
    RequestParser small_body(head, {});
    small_body.body_limit(3);
    EXPECT_EQ(feed(small_body, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd", 1000),
              http::error::body_limit);
}

TEST(RequestParser, FieldCountLimit) {
    std::string request = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 4; ++i) {
        request += "X-" + std::to_string(i) + ": v\r\n";
    }
    request += "\r\n";
    RequestHead head;
    RequestParser enough(head, {});
    enough.field_limit(5);
    EXPECT_FALSE(feed(enough, request, 1000));
    RequestParser too_many(head, {});
    too_many.field_limit(4);
    EXPECT_EQ(feed(too_many, request, 1000), http::error::header_limit);
}

TEST(RequestParser, MalformedInputIsAnError) {
    for (const char* text : {"NOT HTTP\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                             "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
        RequestHead head;
        RequestParser parser(head, {});
        EXPECT_TRUE(feed(parser, text, 1000)) << text;
    }
}

// RFC 9112 §6.1, §6.3 and §3.2: what the parser refuses, and what it must still accept. An
// empty `expected` means the request is read whole.
TEST(RequestParser, FramingAndHostRules) {
    struct Row {
        std::string text;
        boost::system::error_code expected;
    };
    const std::string post = "POST /x HTTP/1.1\r\nHost: a\r\n";
    const std::string chunks = "\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const Row rows[] = {
        {post + "Transfer-Encoding: chunked" + chunks, {}},
        {post + "Transfer-Encoding: CHUNKED" + chunks, {}},
        {post + "Transfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc",
         FramingError::transfer_coding_not_chunked},
        {post + "Content-Length: 3\r\nTransfer-Encoding: xchunked\r\n\r\nabc",
         http::error::bad_transfer_encoding},  // Beast refuses any Transfer-Encoding after a length
        {post + "Transfer-Encoding: xchunked\r\nContent-Length: 99999999\r\n\r\n",
         FramingError::transfer_coding_not_chunked},  // a 400, not a 413
        {post + "Transfer-Encoding: gzip\r\n\r\nabc", FramingError::transfer_coding_not_chunked},
        {post + "Transfer-Encoding: chunked, gzip" + chunks,
         FramingError::transfer_coding_not_chunked},
        {post + "Transfer-Encoding: \r\n\r\n", FramingError::transfer_coding_not_chunked},
        {post + "Transfer-Encoding: chunked, chunked" + chunks, FramingError::chunked_twice},
        {post + "Transfer-Encoding: gzip, chunked" + chunks,
         FramingError::unsupported_transfer_coding},
        {post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked" + chunks,
         FramingError::transfer_coding_not_chunked},
        {post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked" + chunks,
         http::error::bad_transfer_encoding},
        {post + "Transfer-Encoding: chunked\r\nContent-Length: 3" + chunks,
         http::error::bad_content_length},
        {"POST /x HTTP/1.0\r\nTransfer-Encoding: chunked" + chunks,
         FramingError::transfer_encoding_in_http10},
        {"GET / HTTP/1.1\r\n\r\n", FramingError::missing_host},
        {"GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", FramingError::missing_host},
        {"GET http://a/ HTTP/1.1\r\n\r\n", FramingError::missing_host},
        {"GET / HTTP/1.0\r\n\r\n", {}},
        {"GET / HTTP/1.1\r\nHost:\r\n\r\n", {}},
        {"GET / HTTP/1.1\r\nHost: a:8080\r\n\r\n", {}},
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", FramingError::repeated_host},
        {"GET / HTTP/1.0\r\nhost: a\r\nHOST: b\r\n\r\n", FramingError::repeated_host},
        {"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", FramingError::bad_host},
        {"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", FramingError::bad_host},
        {"GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", FramingError::bad_absolute_target},
    };
    for (const auto& row : rows) {
        for (const std::size_t step : {row.text.size(), std::size_t{1}}) {
            RequestHead head;
            RequestParser parser(head, {}, true);
            parser.eager(true);
            parser.body_limit(1000);
            const auto ec = feed(parser, row.text, step);
            EXPECT_EQ(ec, row.expected) << row.text << "\n" << ec.message();
            if (!row.expected) {
                EXPECT_TRUE(parser.is_done()) << row.text;
            }
        }
    }
}

// RFC 9112 §3.2.2: an absolute-form target is read as its origin form, and its authority stands
// for Host (for the key as for the forwarded headers). Other forms are left as they came.
TEST(RequestParser, AbsoluteFormIsReadAsOriginForm) {
    struct Row {
        std::string line;
        std::string target;
        std::string path;
        std::string host;
    };
    const Row rows[] = {
        {"GET http://x:8080/home?q=1", "/home?q=1", "/home", "x:8080"},
        {"GET HTTPS://x/a/b", "/a/b", "/a/b", "x"},
        {"GET http://x", "/", "/", "x"},
        {"GET http://x?q=1", "/?q=1", "/", "x"},
        {"GET http://[::1]:80/y", "/y", "/y", "[::1]:80"},
        {"GET /plain?q", "/plain?q", "/plain", "client"},
        {"OPTIONS *", "*", "*", "client"},
        {"CONNECT x:443", "x:443", "x:443", "client"},
        {"GET ftp://x/y", "ftp://x/y", "ftp://x/y", "client"},
    };
    for (const auto& row : rows) {
        RequestHead head;
        RequestParser parser(head, "Host", true);
        ASSERT_FALSE(feed(parser, row.line + " HTTP/1.1\r\nHost: client\r\n\r\n", 1000))
            << row.line;
        EXPECT_EQ(head.target, row.target) << row.line;
        EXPECT_EQ(head.path(), row.path) << row.line;
        EXPECT_EQ(head.key_header_value, row.host) << row.line;
        EXPECT_EQ(find_header(head.forward_headers, "Host"), row.host) << row.line;
        EXPECT_EQ(head.forward_headers, "Host: " + row.host + "\r\n") << row.line;
    }
}

// A request goes on to a replica as HTTP/1.1, which needs a Host: an HTTP/1.0 one without Host
// gets the absolute-form authority, or an empty Host (RFC 9110 §7.2: no authority).
TEST(RequestParser, Http10WithoutHostIsForwardedWithOne) {
    const std::pair<std::string, std::string> rows[] = {
        {"GET /home HTTP/1.0\r\nX-A: 1\r\n\r\n", "X-A: 1\r\nHost: \r\n"},
        {"GET http://x:1/home HTTP/1.0\r\n\r\n", "Host: x:1\r\n"},
        {"GET /home HTTP/1.0\r\nHost: h\r\n\r\n", "Host: h\r\n"},
    };
    for (const auto& [text, forwarded] : rows) {
        RequestHead head;
        RequestParser proxy(head, {}, true);
        ASSERT_FALSE(feed(proxy, text, 1000)) << text;
        EXPECT_EQ(head.forward_headers, forwarded) << text;
        RequestParser replica(head, {});
        ASSERT_FALSE(feed(replica, text, 1000)) << text;
        EXPECT_TRUE(head.forward_headers.empty()) << text;
    }
}

}  // namespace
}  // namespace ringlb::net
