#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/answer_relay.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/request_body.hpp"
#include "net/response_parser.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// How one request-answer exchange with a replica ended.
enum class ExchangeOutcome {
    answered,       // `answer` holds a complete response
    unreachable,    // could not connect: the replica never saw the request, any method may go
                    // to another replica
    no_answer,      // sent, but the connection failed before any byte of answer: the replica
                    // may have processed it, so only idempotent requests go elsewhere
    timed_out,      // no complete answer within the response timeout
    broken_answer,  // the answer started but was cut or malformed
    replica_down,   // cut while waiting: the replica was marked down (hung, or gone); it may
                    // have processed the request, so only idempotent requests go elsewhere
    local_failure,  // ringlb could not even try (out of descriptors or memory): not the
                    // replica's fault, and no other replica would fare better
    client_failed,  // the client's streamed body failed (cut, malformed, past the limit, too
                    // slow): not the replica's fault; `error` says what the client did
};

// An outcome is always named: there is no default one to be mistaken for a real result.
struct ExchangeResult {
    ExchangeResult(ExchangeOutcome how, boost::system::error_code why) : outcome(how), error(why) {}
    ExchangeOutcome outcome;
    boost::system::error_code error;
};

// One request for a replica, where its answer goes, and how it ended. The answer's place is
// given at construction; the result is set by exchange_all, and reading it before then aborts.
class UpstreamRequest {
  public:
    UpstreamRequest(std::string_view request, bool head, net::ResponseHead& answer_to)
        : bytes(request), head_request(head), answer(answer_to) {}

    std::string_view bytes;     // the complete HTTP/1.1 request
    bool head_request;          // its answer has no body
    net::ResponseHead& answer;  // filled when the outcome is `answered`
    // Set with the `answered` outcome when the answer streams (net::body_mode): `answer` then holds
    // its head and what has come of its body, and the rest is to be relayed from here.
    std::optional<AnswerStream> stream;
    // The rest of the request's body when it streams: sent after `bytes` (the head and whatever
    // came of the body with it), framed as `bytes` says. Such a request is exchanged alone.
    net::PendingBody* body = nullptr;

    bool has_result() const { return result_.has_value(); }
    const ExchangeResult& result() const;
    void set_result(const ExchangeResult& result) { result_ = result; }

  private:
    std::optional<ExchangeResult> result_;
};

// Where the replica is: its pool key (Backend::uid) and address.
struct UpstreamTarget {
    UpstreamTarget(std::uint64_t backend_uid, boost::asio::ip::tcp::endpoint address,
                   const std::atomic<bool>* gone = nullptr)
        : uid(backend_uid), endpoint(std::move(address)), abandoned(gone) {}
    std::uint64_t uid;
    boost::asio::ip::tcp::endpoint endpoint;
    // Becomes true when the replica is marked down: exchanges waiting on it are cut at the next
    // deadline tick instead of waiting out their timeout (Backend::abandoned).
    const std::atomic<bool>* abandoned;
};

// Called with a request's index as soon as its result is set.
using OnResult = std::function<void(std::size_t)>;

// Sends `requests` to the replica over one connection, a pooled one or a new one, in a single
// write, and reads their answers in order (HTTP/1.1 pipelining; with one request, a plain
// exchange). An answer that streams (net::body_mode) is read up to its head and handed over with
// its connection in the request's `stream`; the requests sent after it go again on another. Every
// request gets its result, and on_result (when set) is called for it as soon as it has one. Every
// answer must be in within the response timeout of the write. The connection returns to the pool
// when every answer came, nothing follows the last one and the replica keeps it alive. Deadlines
// are enforced through the worker's ConnectionSet.
//
// When a connection ends before all answers are in, what becomes of the requests not answered
// yet is next_step's decision (dataplane/upstream_decision.hpp). Sending a request again after an
// answer was due is safe only for idempotent methods (RFC 9110 §9.2.2), so requests of other
// methods are sent one at a time.
boost::asio::awaitable<void> exchange_all(net::WorkerContext& worker, UpstreamPool& pool,
                                          UpstreamTarget target,
                                          std::span<UpstreamRequest* const> requests,
                                          const ProxyOptions& options, OnResult on_result = {});

// Connects to replicas that failed for ringlb's own lack of resources (local_failure), over all
// workers, since start; for /metrics. Any thread.
void count_upstream_local_failure();
std::uint64_t upstream_local_failures();

}  // namespace ringlb::balancer
