#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "balancer/backend.hpp"
#include "balancer/balancer_options.hpp"
#include "balancer/upstream_pool.hpp"
#include "net/response_parser.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// How one request-answer exchange with a replica ended.
enum class ExchangeOutcome {
    answered,         // `answer` holds a complete response
    unreachable,      // could not connect: the replica never saw the request, any method may go
                      // to another replica
    no_answer,        // sent, but the connection failed before any byte of answer: the replica
                      // may have processed it, so only idempotent requests go elsewhere
    timed_out,        // no complete answer within the response timeout
    broken_answer,    // the answer started but was cut or malformed
};

struct ExchangeResult {
    ExchangeOutcome outcome = ExchangeOutcome::unreachable;
    boost::system::error_code error;
};

// Sends `request` (complete HTTP/1.1 bytes) to `backend` over a pooled connection, or a new one,
// and reads the answer into `answer`. A pooled connection the replica had already closed is
// replaced by a fresh one transparently. Deadlines (connect, answer) are enforced through the
// worker's ConnectionSet. The connection returns to the pool when both sides keep it alive.
boost::asio::awaitable<ExchangeResult> exchange(net::WorkerContext& worker, UpstreamPool& pool,
                                                const Backend& backend, std::string_view request,
                                                bool head_request, const ProxyOptions& options,
                                                net::ResponseHead& answer);

}  // namespace ringlb::balancer
