#include "controlplane/probe.hpp"

#include <cerrno>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>

#include "net/listener.hpp"

namespace ringlb::balancer {
namespace {

using boost::system::error_code;

TEST(IsLocalFailure, OnlyThisHostsLimitsAreLocal) {
    struct Case {
        error_code error;
        bool local;
    };
    const Case cases[] = {
        {error_code(EMFILE, boost::system::system_category()), true},
        {error_code(ENFILE, boost::system::system_category()), true},
        {error_code(ENOMEM, boost::system::system_category()), true},
        {error_code(ENOBUFS, boost::system::system_category()), true},
        {error_code(EMFILE, boost::system::generic_category()), true},
        {boost::asio::error::connection_refused, false},
        {boost::asio::error::connection_reset, false},
        {boost::asio::error::timed_out, false},
        {boost::beast::error::timeout, false},
        {boost::asio::error::eof, false},  // misc category: same numbers mean other things
        {error_code(ENETUNREACH, boost::system::system_category()), false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(net::is_local_resource_error(c.error), c.local) << c.error.message();
    }
}

TEST(JudgeProbe, TwoHundredsPassOtherStatusesFailLocalErrorsAreLocal) {
    EXPECT_EQ(judge_probe({{}, 200}).verdict, ProbeVerdict::passed);
    EXPECT_EQ(judge_probe({{}, 204}).verdict, ProbeVerdict::passed);
    const auto status = judge_probe({{}, 503});
    EXPECT_EQ(status.verdict, ProbeVerdict::failed);
    EXPECT_EQ(status.detail, "status 503");
    EXPECT_EQ(judge_probe({boost::asio::error::connection_refused, 0}).verdict,
              ProbeVerdict::failed);
    EXPECT_EQ(judge_probe({error_code(EMFILE, boost::system::system_category()), 0}).verdict,
              ProbeVerdict::local_failure);
}

}  // namespace
}  // namespace ringlb::balancer
