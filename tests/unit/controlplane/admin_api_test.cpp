#include "controlplane/admin_api.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "control_fakes.hpp"

namespace ringlb::balancer {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using testing::FakeClock;
using testing::FakeDriver;
using testing::FakeProbe;

net::RequestHead get(std::string target) {
    net::RequestHead request;
    request.method = http::verb::get;
    request.method_text = "GET";
    request.path_size = target.size();
    request.target = std::move(target);
    return request;
}

struct AdminApiTest : ::testing::Test {
    asio::io_context io;
    FakeClock clock{io};
    FakeProbe probe;
    FakeDriver driver;
    SnapshotStore snapshots;
    BalancerOptions options;
    ControlPlane control{io, options, driver, snapshots, 1, clock, probe.function()};
    AdminApi api{control, options.admin};

    // The answer to `request`; an exception out of handle() fails the test.
    net::Response answer(const net::RequestHead& request) {
        std::optional<net::Response> response;
        const RoutingSnapshot snapshot;
        asio::co_spawn(io, api.handle(request, snapshot),
                       [&](const std::exception_ptr& e, net::Response r) {
                           if (e) {
                               ADD_FAILURE() << "handle() threw";
                               return;
                           }
                           response = std::move(r);
                       });
        io.run();
        io.restart();
        return response.value_or(net::Response{http::status::unknown, "no answer"});
    }
};

TEST_F(AdminApiTest, AnswersMetricsWhenNothingFails) {
    api.set_process_metrics([] { return ProcessMetrics{}; });
    const net::Response response = answer(get("/metrics"));
    EXPECT_EQ(response.status, http::status::ok);
    EXPECT_NE(response.body.find("ringlb_replicas 0"), std::string::npos) << response.body;
}

TEST_F(AdminApiTest, AThrowUnderneathIsA500InTheContractShapeAndALogLine) {
    api.set_process_metrics([]() -> ProcessMetrics { throw std::runtime_error("no /proc here"); });
    ::testing::internal::CaptureStderr();
    const net::Response response = answer(get("/metrics"));
    const std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(response.status, http::status::internal_server_error);
    const auto body = boost::json::parse(response.body).as_object();
    EXPECT_EQ(body.at("status"), "failure");
    EXPECT_EQ(body.at("message"), "<Error> internal error: no /proc here");
    EXPECT_NE(log.find("event=admin_call_failed path=/metrics error=\"no /proc here\""),
              std::string::npos)
        << log;
}

}  // namespace
}  // namespace ringlb::balancer
