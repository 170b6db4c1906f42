#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace ringlb::net {

// A fixed set of threads, each running its own io_context (thread per core): work posted to a
// worker stays on that worker's thread, so per-worker state needs no locks.
class WorkerPool {
  public:
    explicit WorkerPool(std::size_t threads);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool();

    std::size_t size() const { return contexts_.size(); }
    boost::asio::io_context& context(std::size_t index) { return *contexts_[index]; }

    // Runs every io_context on its own thread (the calling thread runs worker 0) and returns when
    // all of them have run out of work or were stopped.
    void run();
    // Stops every io_context at once: pending handlers are abandoned. Use only after draining.
    void stop();

    // Calls fn(io_context&, index) for each worker, on that worker's thread.
    void post_to_each(const std::function<void(boost::asio::io_context&, std::size_t)>& fn);

  private:
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
};

// The number of workers to use when the user does not say: one per core.
std::size_t default_thread_count();

}  // namespace ringlb::net
