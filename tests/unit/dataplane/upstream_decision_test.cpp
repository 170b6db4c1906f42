#include "dataplane/upstream_decision.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

using Outcome = ExchangeOutcome;

std::optional<ExchangeResult> failed(Outcome outcome) {
    return ExchangeResult{outcome, {}};
}

TEST(NextStepTest, FollowsTheTable) {
    struct Row {
        std::string name;
        RunEnd run;
        NextStep expected;
    };
    const std::vector<Row> rows = {
        {"all answered", {std::nullopt, true, 3, true, false}, NextStep::done},
        {"closed after an answer", {std::nullopt, true, 2, false, false}, NextStep::resend_rest},
        {"connect failed",
         {failed(Outcome::unreachable), true, 0, false, false},
         NextStep::fail_rest},
        {"pooled, nothing received",
         {failed(Outcome::no_answer), false, 0, false, false},
         NextStep::resend_rest},
        {"fresh, closed after answers",
         {failed(Outcome::no_answer), true, 2, false, false},
         NextStep::resend_rest},
        {"fresh, nothing received",
         {failed(Outcome::no_answer), true, 0, false, false},
         NextStep::fail_rest},
        {"broken answer",
         {failed(Outcome::broken_answer), true, 1, false, false},
         NextStep::fail_one_resend_rest},
        {"broken on pooled",
         {failed(Outcome::broken_answer), false, 0, false, true},
         NextStep::fail_one_resend_rest},
        {"first timeout",
         {failed(Outcome::timed_out), true, 0, false, false},
         NextStep::fail_one_resend_rest},
        {"second timeout", {failed(Outcome::timed_out), true, 0, false, true}, NextStep::fail_rest},
        {"second timeout, pooled",
         {failed(Outcome::timed_out), false, 1, false, true},
         NextStep::fail_rest},
        {"cut: the replica was marked down",
         {failed(Outcome::replica_down), false, 1, false, false},
         NextStep::fail_rest},
        {"out of descriptors at connect",
         {failed(Outcome::local_failure), true, 0, false, false},
         NextStep::fail_rest},
        {"the client's streamed body failed",
         {failed(Outcome::client_failed), true, 0, false, false},
         NextStep::fail_rest},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(next_step(row.run), row.expected) << row.name;
    }
}

// One row of after_failure's table: an outcome, whether the method is idempotent, and the rule.
struct AfterFailureRow {
    Outcome outcome;
    bool idempotent;
    bool mark_down;
    bool try_next;
};

TEST(AfterFailureTest, FollowsTheTable) {
    const std::vector<AfterFailureRow> rows = {
        {Outcome::unreachable, false, true, true},
        {Outcome::unreachable, true, true, true},
        {Outcome::no_answer, true, true, true},
        {Outcome::no_answer, false, true, false},
        {Outcome::timed_out, true, false, false},
        {Outcome::timed_out, false, false, false},
        // A cut answer never reached the client: an idempotent request may go elsewhere.
        {Outcome::broken_answer, true, false, true},
        {Outcome::broken_answer, false, false, false},
        // ringlb's own shortage of descriptors is not the replica's fault, nor helped by another.
        {Outcome::local_failure, true, false, false},
        {Outcome::local_failure, false, false, false},
        // Cut because its health checker marked it down (hung): the idempotent ones go on.
        {Outcome::replica_down, true, false, true},
        {Outcome::replica_down, false, false, false},
        // The client's streamed body failed: not the replica's doing, and no other fares better.
        {Outcome::client_failed, true, false, false},
        {Outcome::client_failed, false, false, false},
    };
    for (const auto& row : rows) {
        const auto after = after_failure(row.outcome, row.idempotent);
        EXPECT_EQ(after.mark_down, row.mark_down)
            << static_cast<int>(row.outcome) << " idempotent " << row.idempotent;
        EXPECT_EQ(after.try_next, row.try_next)
            << static_cast<int>(row.outcome) << " idempotent " << row.idempotent;
    }
}

// A request whose body streams and was partly sent cannot be sent whole again: only a replica
// that was never reached hands it to the next one.
TEST(AfterFailureTest, AStreamedBodyThatWasSentGoesNowhereElse) {
    const std::vector<AfterFailureRow> rows = {
        {Outcome::unreachable, false, true, true},    {Outcome::unreachable, true, true, true},
        {Outcome::no_answer, true, true, false},      {Outcome::broken_answer, true, false, false},
        {Outcome::replica_down, true, false, false},  {Outcome::timed_out, true, false, false},
        {Outcome::client_failed, true, false, false},
    };
    for (const auto& row : rows) {
        const auto after = after_failure(row.outcome, row.idempotent, true);
        EXPECT_EQ(after.mark_down, row.mark_down) << static_cast<int>(row.outcome);
        EXPECT_EQ(after.try_next, row.try_next) << static_cast<int>(row.outcome);
    }
}

TEST(AfterFailureDeathTest, AnAnsweredExchangeIsNoFailure) {
    EXPECT_DEATH(after_failure(Outcome::answered, true), "can't happen");
}

TEST(ClientReplyTest, FollowsTheTable) {
    struct Row {
        std::optional<Outcome> last;
        unsigned status;
        ClientReply expected;
    };
    const std::vector<Row> rows = {
        {std::nullopt, 0, ClientReply::no_replicas},
        {Outcome::answered, 200, ClientReply::replica_answer},
        {Outcome::answered, 500, ClientReply::replica_answer},
        {Outcome::answered, 404, ClientReply::endpoint_missing},
        {Outcome::timed_out, 0, ClientReply::timed_out},
        {Outcome::timed_out, 404, ClientReply::timed_out},
        {Outcome::unreachable, 0, ClientReply::bad_gateway},
        {Outcome::no_answer, 0, ClientReply::bad_gateway},
        {Outcome::broken_answer, 404, ClientReply::bad_gateway},
        {Outcome::local_failure, 0, ClientReply::overloaded},
        {Outcome::replica_down, 0, ClientReply::bad_gateway},
        {Outcome::client_failed, 0, ClientReply::bad_request},
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(client_reply(rows[i].last, rows[i].status), rows[i].expected) << "row " << i;
    }
}

TEST(PersistenceSeenTest, OnlyAFreshConnectionsFirstAnswerShowsAClosingReplica) {
    struct Row {
        bool fresh;
        std::size_t answered;
        bool first_answer_keeps;
        Persistence expected;
    };
    const std::vector<Row> rows = {
        {true, 0, false, Persistence::unknown},  // nothing answered: nothing learned
        {false, 0, true, Persistence::unknown},
        {true, 1, true, Persistence::keeps},
        {false, 3, true, Persistence::keeps},
        {true, 1, false, Persistence::closes},  // HTTP/1.0 or "Connection: close" at once
        {true, 2, false, Persistence::closes},
        {false, 1, false, Persistence::unknown},  // a reused connection reached its limit
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(persistence_seen(rows[i].fresh, rows[i].answered, rows[i].first_answer_keeps),
                  rows[i].expected)
            << "row " << i;
    }
}

}  // namespace
}  // namespace ringlb::balancer
