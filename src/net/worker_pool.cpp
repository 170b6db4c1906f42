#include "net/worker_pool.hpp"

#include <boost/asio/post.hpp>

namespace ringlb::net {

WorkerPool::WorkerPool(std::size_t threads) {
    contexts_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        // Concurrency hint 1: each context is only ever run by one thread.
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    }
}

WorkerPool::~WorkerPool() = default;

void WorkerPool::run() {
    std::vector<std::jthread> threads;
    threads.reserve(contexts_.size());
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
        threads.emplace_back([ctx = contexts_[i].get()] { ctx->run(); });
    }
    contexts_[0]->run();
}

void WorkerPool::stop() {
    for (auto& ctx : contexts_) {
        ctx->stop();
    }
}

void WorkerPool::post_to_each(
    const std::function<void(boost::asio::io_context&, std::size_t)>& fn) {
    for (std::size_t i = 0; i < contexts_.size(); ++i) {
        boost::asio::post(*contexts_[i], [fn, ctx = contexts_[i].get(), i] { fn(*ctx, i); });
    }
}

std::size_t default_thread_count() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : cores;
}

}  // namespace ringlb::net
