#include "net/response_parser.hpp"

#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

#include "net/body_mode.hpp"

namespace ringlb::net {
namespace {

namespace http = boost::beast::http;

// A length is only what the sender claims: a body that streams is never reserved whole.
TEST(ResponseParser, AHugeContentLengthReservesNoMoreThanABufferedBody) {
    ResponseHead head;
    ResponseParser parser(head);
    parser.body_limit(boost::none);
    parser.eager(true);
    const std::string text = "HTTP/1.1 200 OK\r\nContent-Length: 100000000000000\r\n\r\nxx";
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(text), ec);
    EXPECT_TRUE(!ec || ec == http::error::need_more) << ec.message();
    EXPECT_EQ(used, text.size());
    EXPECT_EQ(head.status, 200U);
    EXPECT_EQ(head.body, "xx");
    EXPECT_LE(head.body.capacity(), kMaxBufferedBody);
}

TEST(ResponseParser, AStatusBelow100IsABrokenAnswer) {
    for (const std::string status : {"000", "050", "099"}) {
        ResponseHead head;
        ResponseParser parser(head);
        const std::string text = "HTTP/1.1 " + status + " Odd\r\nContent-Length: 0\r\n\r\n";
        boost::system::error_code ec;
        parser.put(boost::asio::buffer(text), ec);
        EXPECT_EQ(ec, http::error::bad_status) << status;
    }
}

TEST(ResponseParser, KeepsTheUpgradeOfA101) {
    ResponseHead head;
    ResponseParser parser(head);
    const std::string text =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: abc\r\n\r\n";
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(text), ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(head.status, 101U);
    EXPECT_EQ(head.upgrade, "websocket");
    EXPECT_EQ(head.forward_headers, "Sec-WebSocket-Accept: abc\r\n");
}

}  // namespace
}  // namespace ringlb::net
