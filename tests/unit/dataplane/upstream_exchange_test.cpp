#include "scripted_replica.hpp"

namespace ringlb::balancer::test {
namespace {

TEST_F(UpstreamExchangeTest, RequestsOfOneTurnGoOutInOneWriteOnOneConnection) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 16);
    pool.note_persistence(7, Persistence::keeps);  // batched: seen to keep connections
    make(6);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.connections, 1U);
    EXPECT_EQ(replica.requests_per_read, std::vector<std::size_t>{6});
    EXPECT_EQ(pool.idle_count(), 1U) << "the connection is kept for the next batch";
    EXPECT_EQ(batcher.queued(), 0U);
}

TEST_F(UpstreamExchangeTest, AFullBatchLeavesAtOnce) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 2);
    pool.note_persistence(7, Persistence::keeps);  // batched: seen to keep connections
    make(5);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.connections, 3U);
    for (const auto n : replica.requests_per_read) {
        EXPECT_LE(n, 2U);
    }
}

TEST_F(UpstreamExchangeTest, BatchOfOneIsAPlainExchange) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 1);
    make(3);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.requests_per_read, (std::vector<std::size_t>{1, 1, 1}));
}

TEST_F(UpstreamExchangeTest, AnswersAfterConnectionCloseGoOnANewConnection) {
    ScriptedReplica replica(io, {.answers_per_connection = 2, .say_close = true});
    make(4);
    exchange_together(replica);
    expect_all_answered();
    EXPECT_EQ(replica.connections, 2U);
    EXPECT_EQ(pool.idle_count(), 0U) << "the last answer closed the connection";
}

TEST_F(UpstreamExchangeTest, AReplicaThatHangsUpAfterSomeAnswersGetsTheRestAgain) {
    ScriptedReplica replica(io, {.answers_per_connection = 2});
    make(5);
    exchange_together(replica);
    expect_all_answered();
    EXPECT_EQ(replica.connections, 3U);
}

TEST_F(UpstreamExchangeTest, ABrokenAnswerFailsItsRequestAndTheRestGoAgain) {
    ScriptedReplica replica(io, {.garbage_answer = 1});
    make(4);
    exchange_together(replica);
    expect_answered(0);
    EXPECT_EQ(sent[1]->request.result().outcome, ExchangeOutcome::broken_answer);
    expect_answered(2);
    expect_answered(3);
    EXPECT_EQ(replica.connections, 2U);
}

TEST_F(UpstreamExchangeTest, AFreshConnectionClosedBeforeAnyAnswerFailsThemAll) {
    ScriptedReplica replica(io, {.close_at_once = true});
    make(3);
    exchange_together(replica);
    for (auto& s : sent) {
        EXPECT_EQ(s->request.result().outcome, ExchangeOutcome::no_answer);
    }
    EXPECT_EQ(replica.connections, 1U);
}

TEST_F(UpstreamExchangeTest, NothingListeningMakesThemAllUnreachable) {
    tcp::endpoint closed;
    {
        tcp::acceptor gone(io, {asio::ip::make_address("127.0.0.1"), 0});
        closed = gone.local_endpoint();
    }
    make(3);
    std::vector<UpstreamRequest*> requests;
    for (auto& s : sent) {
        requests.push_back(&s->request);
    }
    bool finished = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await exchange_all(worker, pool, {9, closed}, requests, options);
            finished = true;
        },
        asio::detached);
    ASSERT_TRUE(run_until([&] { return finished; }));
    for (auto& s : sent) {
        EXPECT_EQ(s->request.result().outcome, ExchangeOutcome::unreachable);
    }
}

TEST_F(UpstreamExchangeTest, ASilentReplicaTimesThemAllOutAfterOneMoreTry) {
    options.response_timeout = 100ms;
    ScriptedReplica replica(io, {.silent = true});
    make(3);
    exchange_together(replica);
    for (auto& s : sent) {
        EXPECT_EQ(s->request.result().outcome, ExchangeOutcome::timed_out);
    }
    EXPECT_EQ(replica.connections, 2U) << "the requests behind the first go again once";
}

TEST_F(UpstreamExchangeTest, RequestsBehindOneThatTimesOutGoAgain) {
    options.response_timeout = 100ms;
    ScriptedReplica replica(io, {.silent_connections = 1});
    make(3);
    exchange_together(replica);
    EXPECT_EQ(sent[0]->request.result().outcome, ExchangeOutcome::timed_out);
    expect_answered(1);
    expect_answered(2);
    EXPECT_EQ(replica.connections, 2U);
}

TEST_F(UpstreamExchangeTest, ABatchLeavesOnceItHoldsEnoughBytes) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 16);
    pool.note_persistence(7, Persistence::keeps);  // batched: seen to keep connections
    make(4);
    const std::string padding(UpstreamBatcher::kMaxBatchBytes / 3, 'x');
    for (auto& s : sent) {
        s->bytes.insert(s->bytes.size() - 2, "X-Padding: " + padding + "\r\n");
        s->request.bytes = s->bytes;
    }
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.connections, 2U) << "three requests filled the first batch";
}

TEST_F(UpstreamExchangeTest, AConnectionWithBytesPastTheLastAnswerIsNotReused) {
    ScriptedReplica replica(io, {.trailing_bytes = true});
    make(2);
    exchange_together(replica);
    expect_all_answered();
    EXPECT_EQ(pool.idle_count(), 0U);
}

TEST_F(UpstreamExchangeTest, APooledConnectionTheReplicaClosedIsReplaced) {
    ScriptedReplica replica(io, {.answers_per_connection = 1});  // closes without saying so
    make(1);
    exchange_together(replica);
    expect_answered(0);
    ASSERT_EQ(pool.idle_count(), 1U) << "nothing said the connection would close";
    sent.clear();
    make(2);
    exchange_together(replica);
    expect_answered(0);
    expect_answered(1);
    EXPECT_EQ(replica.connections, 3U) << "the dead pooled one, then one per answer";
}

TEST(UpstreamRequest, AResultReadBeforeOneWasSetAborts) {
    net::ResponseHead answer;
    const UpstreamRequest request("GET / HTTP/1.1\r\n\r\n", false, answer);
    EXPECT_FALSE(request.has_result());
    EXPECT_DEATH((void)request.result(), "can't happen");
}

TEST(UpstreamRequest, ASetResultIsTheOneRead) {
    net::ResponseHead answer;
    UpstreamRequest request("GET / HTTP/1.1\r\n\r\n", false, answer);
    request.set_result({ExchangeOutcome::timed_out, asio::error::timed_out});
    ASSERT_TRUE(request.has_result());
    EXPECT_EQ(request.result().outcome, ExchangeOutcome::timed_out);
    EXPECT_EQ(request.result().error, asio::error::timed_out);
}

}  // namespace
}  // namespace ringlb::balancer::test
