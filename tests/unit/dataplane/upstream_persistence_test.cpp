// Pipelined batches go only to replicas seen to keep their connections open: one that closes
// each connection after an answer (HTTP/1.0, Werkzeug, gunicorn's sync workers) gets one request
// per connection.

#include "scripted_replica.hpp"

namespace ringlb::balancer::test {
namespace {

TEST_F(UpstreamExchangeTest, AReplicaNotSeenYetGetsItsRequestsOneByOne) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 16);
    make(3);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.requests_per_read, (std::vector<std::size_t>{1, 1, 1}));
    EXPECT_EQ(pool.persistence(7), Persistence::keeps);
}

TEST_F(UpstreamExchangeTest, AReplicaSeenToKeepConnectionsGetsBatches) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 16);
    make(1);
    exchange_through(batcher, replica);  // the first answer shows the connection kept
    sent.clear();
    make(5);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.requests_per_read, (std::vector<std::size_t>{1, 5}));
    EXPECT_EQ(replica.connections, 1U);
}

TEST_F(UpstreamExchangeTest, AReplicaThatClosesEveryConnectionIsNeverPipelined) {
    ScriptedReplica replica(io, {.answers_per_connection = 1, .say_close = true});
    UpstreamBatcher batcher(worker, pool, options, 16);
    make(1);
    exchange_through(batcher, replica);
    EXPECT_EQ(pool.persistence(7), Persistence::closes);
    sent.clear();
    make(4);
    exchange_through(batcher, replica);
    expect_all_answered();
    EXPECT_EQ(replica.requests_per_read, (std::vector<std::size_t>{1, 1, 1, 1, 1}));
    EXPECT_EQ(replica.connections, 5U);
    EXPECT_EQ(pool.idle_count(), 0U);
}

TEST_F(UpstreamExchangeTest, AReplicaThatStartsKeepingConnectionsIsBatchedAgain) {
    ScriptedReplica replica(io, {});
    UpstreamBatcher batcher(worker, pool, options, 16);
    pool.note_persistence(7, Persistence::closes);
    make(1);
    exchange_through(batcher, replica);
    EXPECT_EQ(pool.persistence(7), Persistence::keeps);
}

}  // namespace
}  // namespace ringlb::balancer::test
