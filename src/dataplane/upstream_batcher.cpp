#include "dataplane/upstream_batcher.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "net/check.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

namespace {

std::atomic<std::uint64_t> g_batched{0};

}  // namespace

std::uint64_t batched_requests() {
    return g_batched.load(std::memory_order_relaxed);
}

asio::awaitable<void> UpstreamBatcher::exchange(UpstreamTarget target, UpstreamRequest& request) {
    net::Parking parked;
    add(std::move(target), request, parked);
    co_await parked.park();
}

std::size_t UpstreamBatcher::queued() const {
    std::size_t count = 0;
    for (const auto& batch : open_) {
        count += batch.requests.size();
    }
    return count;
}

void UpstreamBatcher::add(UpstreamTarget target, UpstreamRequest& request, net::Parking& parked) {
    if (pool_.persistence(target.uid) != Persistence::keeps) {
        // Alone until the replica is seen to keep connections open (persistence_seen).
        send(Batch{std::move(target), {&request}, {&parked}, request.bytes.size()});
        return;
    }
    auto batch = std::find_if(open_.begin(), open_.end(),
                              [&](const Batch& b) { return b.target.uid == target.uid; });
    if (batch == open_.end()) {
        batch = open_.insert(open_.end(), Batch{std::move(target), {}, {}, 0});
    }
    batch->requests.push_back(&request);
    batch->waiting.push_back(&parked);
    batch->bytes += request.bytes.size();
    if (batch->requests.size() >= max_batch_ || batch->bytes >= kMaxBatchBytes) {
        Batch full = std::move(*batch);
        open_.erase(batch);
        send(std::move(full));
        return;
    }
    if (!send_posted_) {
        // Runs after the completions already queued in this turn: the requests they forward to
        // the same replicas join the batches first.
        send_posted_ = true;
        asio::post(worker_.io, [this] {
            send_posted_ = false;
            send_all();
        });
    }
}

void UpstreamBatcher::send_all() {
    auto batches = std::exchange(open_, {});
    for (auto& batch : batches) {
        send(std::move(batch));
    }
}

void UpstreamBatcher::send(Batch batch) {
    if (batch.requests.size() > 1) {
        g_batched.fetch_add(batch.requests.size(), std::memory_order_relaxed);
    }
    asio::co_spawn(worker_.io, deliver(worker_, pool_, options_, std::move(batch)),
                   net::AbortOnThrow{"an upstream batch"});
}

asio::awaitable<void> UpstreamBatcher::deliver(net::WorkerContext& worker, UpstreamPool& pool,
                                               const ProxyOptions& options, Batch batch) {
    // Each waiting request resumes as soon as its own answer is in, not when the batch is done.
    co_await exchange_all(worker, pool, batch.target, batch.requests, options,
                          [&](std::size_t i) { batch.waiting[i]->wake(); });
}

}  // namespace ringlb::balancer
