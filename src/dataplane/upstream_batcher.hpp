#pragma once

#include <cstddef>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// Sends the requests one worker forwards to the same replica in the same turn of its event loop
// together: one write on one connection (HTTP/1.1 pipelining), the answers read back in order,
// usually with one read for all of them.
//
// Why: each loopback send and receive costs kernel time on both ends, and waking the other end
// costs more; under load a worker forwards several requests to each replica per turn (about six
// per replica with 64 busy clients and three replicas), and the replica (ringlb-server) answers
// such a batch with one write too. The batch is only what is ready at once: a request never waits
// for a later one, and never joins requests already sent; the most it waits for is the replica
// answering the requests ahead of it in the same batch.
//
// Only requests that may be sent again (idempotent methods) belong here, since a connection that
// ends early sends the unanswered ones again (exchange_all).
//
// A batcher belongs to one worker: every call passes that worker's context, pool and options.
class UpstreamBatcher {
public:
    // A batch leaves once it holds this many bytes of requests. The whole batch is written before
    // any answer is read, so it must fit in the replica's socket receive buffer (128 KiB by
    // default on Linux) with room to spare: otherwise a replica that answers the first request
    // before reading the next could block on its write while ringlb blocks on its own.
    static constexpr std::size_t kMaxBatchBytes = 32 * 1024;

    // `max_batch`: the most requests sent together; a full batch leaves at once.
    explicit UpstreamBatcher(std::size_t max_batch) : max_batch_(max_batch) {}
    UpstreamBatcher(UpstreamBatcher&&) = default;
    UpstreamBatcher& operator=(UpstreamBatcher&&) = delete;
    UpstreamBatcher(const UpstreamBatcher&) = delete;
    UpstreamBatcher& operator=(const UpstreamBatcher&) = delete;

    // Queues `request` for the replica with the others of this turn; returns once its result is
    // set. `worker`, `pool` and `options` must outlive the batcher's work (they are the worker's).
    boost::asio::awaitable<void> exchange(net::WorkerContext& worker, UpstreamPool& pool,
                                          UpstreamTarget target, UpstreamRequest& request,
                                          const ProxyOptions& options);

    // Requests queued and not sent yet (for tests).
    std::size_t queued() const;

private:
    struct Batch {
        UpstreamTarget target;
        std::vector<UpstreamRequest*> requests;
        std::vector<boost::asio::any_completion_handler<void()>> waiting;  // by request
        std::size_t bytes = 0;                                              // of all requests
    };

    void add(net::WorkerContext& worker, UpstreamPool& pool, UpstreamTarget target,
             UpstreamRequest& request, const ProxyOptions& options,
             boost::asio::any_completion_handler<void()> handler);
    void send_all(net::WorkerContext& worker, UpstreamPool& pool, const ProxyOptions& options);
    static void send(net::WorkerContext& worker, UpstreamPool& pool, Batch batch, const ProxyOptions& options);
    static boost::asio::awaitable<void> deliver(net::WorkerContext& worker, UpstreamPool& pool,
                                                Batch batch, const ProxyOptions& options);

    std::size_t max_batch_;
    std::vector<Batch> open_;  // at most one per replica
    bool send_posted_ = false;
};

}  // namespace ringlb::balancer
