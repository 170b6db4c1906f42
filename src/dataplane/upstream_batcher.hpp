#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/parking.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// Sends the requests one worker forwards to the same replica in the same turn of its event loop
// together: one write on one connection (HTTP/1.1 pipelining), the answers read back in order,
// usually with one read for all of them.
//
// Why: each loopback send and receive costs kernel time on both ends, and waking the other end
// costs more; under load a worker forwards several requests to each replica per turn (bench/
// RESULTS.md has the counts), and the replica (ringlb-server) answers such a batch with one
// write too. The batch is only what is ready at once: a request never waits
// for a later one, and never joins requests already sent; the most it waits for is the replica
// answering the requests ahead of it in the same batch.
//
// Only requests that may be sent again (idempotent methods) belong here, since a connection that
// ends early sends the unanswered ones again (exchange_all).
//
// A batcher belongs to one worker and is built with that worker's context, pool and options.
class UpstreamBatcher {
  public:
    // A batch leaves once it holds this many bytes of requests. The whole batch is written before
    // any answer is read, so it must fit in the replica's socket receive buffer (Linux's default
    // is several times this) with room to spare: otherwise a replica that answers the first
    // request before reading the next could block on its write while ringlb blocks on its own.
    static constexpr std::size_t kMaxBatchBytes = std::size_t{32} * 1024;

    // `max_batch`: the most requests sent together; a full batch leaves at once. `worker`, `pool`
    // and `options` must outlive the batcher.
    UpstreamBatcher(net::WorkerContext& worker, UpstreamPool& pool, const ProxyOptions& options,
                    std::size_t max_batch)
        : worker_(worker), pool_(pool), options_(options), max_batch_(max_batch) {}
    // Posted work points at the batcher.
    UpstreamBatcher(UpstreamBatcher&&) = delete;
    UpstreamBatcher& operator=(UpstreamBatcher&&) = delete;
    UpstreamBatcher(const UpstreamBatcher&) = delete;
    UpstreamBatcher& operator=(const UpstreamBatcher&) = delete;
    ~UpstreamBatcher() = default;

    // Queues `request` for the replica with the others of this turn; returns once its result is
    // set.
    boost::asio::awaitable<void> exchange(UpstreamTarget target, UpstreamRequest& request);

    // Requests queued and not sent yet (for tests).
    std::size_t queued() const;

  private:
    struct Batch {
        UpstreamTarget target;
        std::vector<UpstreamRequest*> requests;
        std::vector<net::Parking*> waiting;  // by request
        std::size_t bytes = 0;               // of all requests
    };

    void add(UpstreamTarget target, UpstreamRequest& request, net::Parking& parked);
    void send_all();
    void send(Batch batch);
    static boost::asio::awaitable<void> deliver(net::WorkerContext& worker, UpstreamPool& pool,
                                                const ProxyOptions& options, Batch batch);

    net::WorkerContext& worker_;
    UpstreamPool& pool_;
    const ProxyOptions& options_;
    std::size_t max_batch_;
    std::vector<Batch> open_;  // at most one per replica
    bool send_posted_ = false;
};

// Requests that went out in a batch with others, over all workers, since start; for /metrics.
// Any thread.
std::uint64_t batched_requests();

}  // namespace ringlb::balancer
