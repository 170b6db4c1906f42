// Answers cut short by a close end at once, instead of waiting for the response timeout.

#include "scripted_replica.hpp"

namespace ringlb::balancer::test {
namespace {

TEST_F(UpstreamExchangeTest, AnAnswerCutShortByACloseEndsAtOnce) {
    options.response_timeout = 5000ms;
    ScriptedReplica replica(io,
                            {.last_words = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"});
    make(1);
    const auto started = std::chrono::steady_clock::now();
    exchange_together(replica);
    EXPECT_EQ(sent[0]->request.result().outcome, ExchangeOutcome::broken_answer);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2000ms);
}

TEST_F(UpstreamExchangeTest, AContinueThenACloseEndsAtOnce) {
    options.response_timeout = 5000ms;
    ScriptedReplica replica(io, {.last_words = "HTTP/1.1 100 Continue\r\n\r\n"});
    make(1);
    const auto started = std::chrono::steady_clock::now();
    exchange_together(replica);
    EXPECT_EQ(sent[0]->request.result().outcome, ExchangeOutcome::broken_answer);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2000ms);
}

}  // namespace
}  // namespace ringlb::balancer::test
