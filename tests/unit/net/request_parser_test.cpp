#include "net/request_parser.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

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
    ASSERT_FALSE(feed(closing, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 100));
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
    EXPECT_EQ(feed(small_body, "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", 1000),
              http::error::body_limit);
}

TEST(RequestParser, FieldCountLimit) {
    std::string request = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 5; ++i) {
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

}  // namespace
}  // namespace ringlb::net
