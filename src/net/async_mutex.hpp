#pragma once

#include <chrono>
#include <deque>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

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

    explicit AsyncMutex(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

    boost::asio::awaitable<Guard> lock() {
        if (!locked_) {
            locked_ = true;
            co_return Guard(this);
        }
        boost::asio::steady_timer turn(executor_, boost::asio::steady_timer::time_point::max());
        waiters_.push_back(&turn);
        // unlock() cancels the timer to hand over the lock; `locked_` stays true in between.
        co_await turn.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return Guard(this);
    }

private:
    void unlock() {
        if (waiters_.empty()) {
            locked_ = false;
            return;
        }
        boost::asio::steady_timer* next = waiters_.front();
        waiters_.pop_front();
        next->cancel();
    }

    boost::asio::any_io_executor executor_;
    bool locked_ = false;
    std::deque<boost::asio::steady_timer*> waiters_;
};

}  // namespace ringlb::net
