#include "loadgen/error_kind.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

namespace ringlb::loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

boost::system::error_code code(beast::http::error e) {
    return beast::http::make_error_code(e);
}

TEST(ClassifyError, TimeoutsAreTimeoutsInEveryPhase) {
    const auto timeout = beast::make_error_code(beast::error::timeout);
    EXPECT_EQ(classify_error(timeout, true), ErrorKind::kTimeout);
    EXPECT_EQ(classify_error(timeout, false), ErrorKind::kTimeout);
}

TEST(ClassifyError, AnyOtherConnectFailureIsConnect) {
    EXPECT_EQ(classify_error(asio::error::connection_refused, true), ErrorKind::kConnect);
    EXPECT_EQ(classify_error(asio::error::network_unreachable, true), ErrorKind::kConnect);
}

TEST(ClassifyError, ServerHangingUpIsClosed) {
    EXPECT_EQ(classify_error(code(beast::http::error::end_of_stream), false), ErrorKind::kClosed);
    EXPECT_EQ(classify_error(code(beast::http::error::partial_message), false), ErrorKind::kClosed);
    EXPECT_EQ(classify_error(asio::error::connection_reset, false), ErrorKind::kClosed);
    EXPECT_EQ(classify_error(asio::error::broken_pipe, false), ErrorKind::kClosed);
    EXPECT_EQ(classify_error(asio::error::eof, false), ErrorKind::kClosed);
}

TEST(ClassifyError, BadHttpIsProtocol) {
    EXPECT_EQ(classify_error(code(beast::http::error::bad_version), false), ErrorKind::kProtocol);
    EXPECT_EQ(classify_error(code(beast::http::error::body_limit), false), ErrorKind::kProtocol);
}

TEST(ClassifyError, NamesAreStable) {
    EXPECT_EQ(error_kind_name(ErrorKind::kConnect), "connect");
    EXPECT_EQ(error_kind_name(ErrorKind::kTimeout), "timeout");
    EXPECT_EQ(error_kind_name(ErrorKind::kClosed), "closed");
    EXPECT_EQ(error_kind_name(ErrorKind::kProtocol), "protocol");
    EXPECT_EQ(error_kind_name(ErrorKind::kAborted), "aborted");
    EXPECT_EQ(error_kind_name(ErrorKind::kOther), "other");
}

}  // namespace
}  // namespace ringlb::loadgen
