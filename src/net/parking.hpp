#pragma once

#include <memory>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::net {

// A place where one coroutine waits until another part of the same thread wakes it: the waiter
// calls park(), someone else calls wake(). A wake that comes first makes the park return at once.
// The waiter resumes through a post to its own executor, never inside wake(), so wake() may be
// called from any code of that thread without running the waiter on its stack.
class Parking {
  public:
    Parking() = default;
    Parking(const Parking&) = delete;
    Parking& operator=(const Parking&) = delete;
    Parking(Parking&&) = delete;
    Parking& operator=(Parking&&) = delete;
    ~Parking() = default;

    boost::asio::awaitable<void> park() {
        if (woken_) {
            co_return;
        }
        co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
            [this](auto handler) {
                executor_ = boost::asio::get_associated_executor(handler);
                waiter_ = std::make_unique<Waiter<decltype(handler)>>(std::move(handler));
            },
            boost::asio::use_awaitable);
    }

    // Wakes the parked coroutine, or the next one to park. Later calls do nothing.
    void wake() {
        if (woken_) {
            return;
        }
        woken_ = true;
        if (waiter_) {
            boost::asio::post(executor_, [waiter = std::move(waiter_)] { waiter->resume(); });
        }
    }

    bool woken() const { return woken_; }

  private:
    // The parked coroutine's completion handler, whatever its type.
    struct WaiterBase {
        WaiterBase() = default;
        WaiterBase(const WaiterBase&) = delete;
        WaiterBase& operator=(const WaiterBase&) = delete;
        WaiterBase(WaiterBase&&) = delete;
        WaiterBase& operator=(WaiterBase&&) = delete;
        virtual ~WaiterBase() = default;
        virtual void resume() = 0;
    };
    template <class Handler>
    struct Waiter final : WaiterBase {
        explicit Waiter(Handler h) : handler(std::move(h)) {}
        void resume() override { std::move(handler)(); }
        Handler handler;
    };

    bool woken_ = false;
    boost::asio::any_io_executor executor_;  // the waiter's
    std::unique_ptr<WaiterBase> waiter_;
};

}  // namespace ringlb::net
