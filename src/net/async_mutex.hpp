#pragma once

#include <deque>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "net/parking.hpp"

namespace ringlb::net {

// A mutex for coroutines that all run on one single-threaded executor: lock() suspends instead
// of blocking, waiters are served first come, first served. Used to serialise the control plane's
// multi-step changes (an /add waits for replicas to start) without blocking its thread.
class AsyncMutex {
  public:
    class Guard {
      public:
        explicit Guard(AsyncMutex* mutex) : mutex_(mutex) {}
        Guard(Guard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
        Guard& operator=(Guard&&) = delete;
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;
        ~Guard() {
            if (mutex_ != nullptr) {
                mutex_->unlock();
            }
        }

      private:
        AsyncMutex* mutex_;
    };

    // Waiters resume on their own executors; `executor` names the one they all share.
    explicit AsyncMutex(const boost::asio::any_io_executor& /*executor*/) {}

    boost::asio::awaitable<Guard> lock() {
        if (!locked_) {
            locked_ = true;
            co_return Guard(this);
        }
        Parking turn;
        waiters_.push_back(&turn);
        // unlock() wakes the first waiter to hand over the lock; `locked_` stays true in between.
        co_await turn.park();
        co_return Guard(this);
    }

  private:
    void unlock() {
        if (waiters_.empty()) {
            locked_ = false;
            return;
        }
        Parking* next = waiters_.front();
        waiters_.pop_front();
        next->wake();
    }

    bool locked_ = false;
    std::deque<Parking*> waiters_;
};

}  // namespace ringlb::net
