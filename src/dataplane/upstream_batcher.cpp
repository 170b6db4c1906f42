#include "dataplane/upstream_batcher.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::balancer {

namespace asio = boost::asio;

asio::awaitable<void> UpstreamBatcher::exchange(net::WorkerContext& worker, UpstreamPool& pool,
                                                UpstreamTarget target, UpstreamRequest& request,
                                                const ProxyOptions& options) {
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [&](auto handler) { add(worker, pool, target, request, options, std::move(handler)); },
        asio::use_awaitable);
}

std::size_t UpstreamBatcher::queued() const {
    std::size_t count = 0;
    for (const auto& batch : open_) {
        count += batch.requests.size();
    }
    return count;
}

void UpstreamBatcher::add(net::WorkerContext& worker, UpstreamPool& pool, UpstreamTarget target,
                          UpstreamRequest& request, const ProxyOptions& options,
                          asio::any_completion_handler<void()> handler) {
    auto batch = std::find_if(open_.begin(), open_.end(),
                              [&](const Batch& b) { return b.target.uid == target.uid; });
    if (batch == open_.end()) {
        batch = open_.insert(open_.end(), Batch{target, {}, {}, 0});
    }
    batch->requests.push_back(&request);
    batch->waiting.push_back(std::move(handler));
    batch->bytes += request.bytes.size();
    if (batch->requests.size() >= max_batch_ || batch->bytes >= kMaxBatchBytes) {
        Batch full = std::move(*batch);
        open_.erase(batch);
        send(worker, pool, std::move(full), options);
        return;
    }
    if (!send_posted_) {
        // Runs after the completions already queued in this turn: the requests they forward to
        // the same replicas join the batches first.
        send_posted_ = true;
        asio::post(worker.io, [this, &worker, &pool, &options] {
            send_posted_ = false;
            send_all(worker, pool, options);
        });
    }
}

void UpstreamBatcher::send_all(net::WorkerContext& worker, UpstreamPool& pool, const ProxyOptions& options) {
    auto batches = std::exchange(open_, {});
    for (auto& batch : batches) {
        send(worker, pool, std::move(batch), options);
    }
}

void UpstreamBatcher::send(net::WorkerContext& worker, UpstreamPool& pool, Batch batch,
                           const ProxyOptions& options) {
    asio::co_spawn(worker.io, deliver(worker, pool, std::move(batch), options), asio::detached);
}

asio::awaitable<void> UpstreamBatcher::deliver(net::WorkerContext& worker, UpstreamPool& pool, Batch batch,
                                               const ProxyOptions& options) {
    const auto resume = [&](std::size_t i) {
        asio::post(worker.io, [waiting = std::move(batch.waiting[i])]() mutable { std::move(waiting)(); });
    };
    try {
        // Each waiting request resumes as soon as its own answer is in, not when the batch is done.
        co_await exchange_all(worker, pool, batch.target, batch.requests, options, resume);
    } catch (const std::exception&) {
        // Out of memory, in practice. No request may be left waiting: the ones not resumed yet
        // fail as if their answers had been cut.
        for (std::size_t i = 0; i < batch.requests.size(); ++i) {
            if (batch.waiting[i]) {
                batch.requests[i]->result = {ExchangeOutcome::broken_answer, asio::error::no_memory};
                resume(i);
            }
        }
    }
}

}  // namespace ringlb::balancer
