#pragma once

#include <cstddef>
#include <optional>

#include "dataplane/persistence.hpp"
#include "dataplane/upstream_exchange.hpp"

namespace ringlb::balancer {

// The upstream decisions, apart from the sockets that make them necessary: what an exchange does
// after one connection's run, whether a request goes to the next replica, and what the client
// is answered. Pure; exchange_all and Proxy::forward only do the I/O around them.

// How one connection's run of exchange_all ended.
struct RunEnd {
    // Why the request after the answered ones has no answer; none when every request sent on the
    // connection was answered, or the replica closed it after an answer.
    std::optional<ExchangeResult> failure;
    bool fresh = false;             // the connection was opened for this run
    std::size_t answered = 0;       // requests answered on it
    bool all_answered = false;      // no request of the exchange is left without a result
    bool timed_out_before = false;  // an earlier run of the same exchange timed out
};

enum class NextStep {
    done,                  // every request has its result
    resend_rest,           // the requests without a result go out on another connection
    fail_one_resend_rest,  // the first of them fails with the run's failure, the others go again
    fail_rest,             // all of them fail with the run's failure
};

// After a connection's run: a pooled connection that failed before any byte of answer (almost
// always one the replica closed while it sat idle), or one the replica closed after answering on
// it, hands the rest to another connection. A broken answer fails its request; so does a timeout,
// the requests behind it having waited on it, not on their own answers: they go again once, and
// fail with the next timeout (a request waits at most twice the timeout). A connect that failed,
// or a fresh connection that failed before its first answer, fails them all: the replica is
// failing.
NextStep next_step(const RunEnd& run);

// `fresh`: the connection was opened for this run; `answered`: answers read on it;
// `first_answer_keeps`: whether the first of them kept it open (read only when answered > 0).
// Requests are pipelined to a replica only once it is seen to keep its connections: to one that
// closes them, each pipelined request behind the first would only be sent again on a new
// connection (and unread requests make some servers reset the connection instead of closing it).
Persistence persistence_seen(bool fresh, std::size_t answered, bool first_answer_keeps);

// What happens to the replica and the request after a failed exchange with it.
struct AfterFailure {
    bool mark_down = false;  // stop routing to it until its next passed heartbeat
    bool try_next = false;   // send the request to the next replica
};

// A replica that could not be reached or dropped the connection before answering is marked
// down; one cut while its replica was marked down (hung) goes to the next replica when it is
// idempotent; a connect that failed for ringlb's own lack of resources (local_failure) neither
// marks it down nor tries another. The request goes to the next replica when the first never saw it
// (unreachable), or when it may be sent twice (idempotent, RFC 9110 §9.2.2) and nothing of an
// answer reached the client: none came, or it was cut or malformed (answers are passed on only
// once complete).
//
// `body_gone`: the request's body streams and some of it was sent (net::PendingBody::taken), so
// it cannot be sent whole to another replica: it then goes to the next replica only when the
// failed one was never reached.
AfterFailure after_failure(ExchangeOutcome outcome, bool idempotent, bool body_gone = false);

// What the client is answered.
enum class ClientReply {
    replica_answer,    // the replica's answer, passed on
    endpoint_missing,  // the replica's 404 becomes a 400 naming the path
    no_replicas,       // 503: no replica was up to try
    timed_out,         // 504: the last replica tried did not answer in time
    bad_gateway,       // 502: no replica could answer
    overloaded,        // 503: ringlb itself is out of descriptors or memory
    bad_request,       // 400 or 413: the client's streamed body failed (net::read_failure_answer)
};

// `last`: the last exchange's outcome, none when no replica was tried; `status`: the status of
// the replica's answer, read only when `last` is `answered`.
ClientReply client_reply(std::optional<ExchangeOutcome> last, unsigned status);

}  // namespace ringlb::balancer
