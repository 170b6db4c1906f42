#include "dataplane/upstream_decision.hpp"

#include "net/check.hpp"

namespace ringlb::balancer {

NextStep next_step(const RunEnd& run) {
    if (!run.failure) {
        return run.all_answered ? NextStep::done : NextStep::resend_rest;
    }
    switch (run.failure->outcome) {
        case ExchangeOutcome::answered:
            net::unreachable("a connection's run failed with an answer");
        case ExchangeOutcome::unreachable:
        case ExchangeOutcome::replica_down:
        case ExchangeOutcome::local_failure:
        case ExchangeOutcome::client_failed:
            return NextStep::fail_rest;
        case ExchangeOutcome::timed_out:
            return run.timed_out_before ? NextStep::fail_rest : NextStep::fail_one_resend_rest;
        case ExchangeOutcome::no_answer:
            return !run.fresh || run.answered > 0 ? NextStep::resend_rest : NextStep::fail_rest;
        case ExchangeOutcome::broken_answer:
            return NextStep::fail_one_resend_rest;
    }
    net::unreachable("an exchange outcome without a next step");
}

Persistence persistence_seen(bool fresh, std::size_t answered, bool first_answer_keeps) {
    if (answered == 0) {
        return Persistence::unknown;
    }
    if (first_answer_keeps) {
        return Persistence::keeps;
    }
    return fresh ? Persistence::closes : Persistence::unknown;
}

AfterFailure after_failure(ExchangeOutcome outcome, bool idempotent, bool body_gone) {
    // Bytes of a streamed body that were passed on are not kept: another replica cannot be given
    // the whole request. Only a replica that never saw any of it (not reached) is not the last.
    if (body_gone && outcome != ExchangeOutcome::unreachable) {
        idempotent = false;
    }
    switch (outcome) {
        case ExchangeOutcome::answered:
            net::unreachable("an answered exchange taken for a failure");
        case ExchangeOutcome::unreachable:
            return {.mark_down = true, .try_next = true};
        case ExchangeOutcome::no_answer:
            return {.mark_down = true, .try_next = idempotent};
        // Marked down already (by its health checker), or an answer cut or malformed: none of it
        // reached the client (answers are passed on whole).
        case ExchangeOutcome::replica_down:
        case ExchangeOutcome::broken_answer:
            return {.mark_down = false, .try_next = idempotent};
        case ExchangeOutcome::timed_out:
        case ExchangeOutcome::local_failure:  // ringlb's own shortage: no suspicion, no retry
        case ExchangeOutcome::client_failed:  // the client's doing: no suspicion, no retry
            return {.mark_down = false, .try_next = false};
    }
    net::unreachable("an exchange outcome without a failover rule");
}

ClientReply client_reply(std::optional<ExchangeOutcome> last, unsigned status) {
    if (!last) {
        return ClientReply::no_replicas;
    }
    switch (*last) {
        case ExchangeOutcome::answered:
            return status == 404 ? ClientReply::endpoint_missing : ClientReply::replica_answer;
        case ExchangeOutcome::timed_out:
            return ClientReply::timed_out;
        case ExchangeOutcome::local_failure:
            return ClientReply::overloaded;
        case ExchangeOutcome::client_failed:
            return ClientReply::bad_request;
        case ExchangeOutcome::unreachable:
        case ExchangeOutcome::no_answer:
        case ExchangeOutcome::broken_answer:
        case ExchangeOutcome::replica_down:
            return ClientReply::bad_gateway;
    }
    net::unreachable("an exchange outcome without a reply");
}

}  // namespace ringlb::balancer
