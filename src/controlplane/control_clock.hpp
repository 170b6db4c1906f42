#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>

namespace ringlb::balancer {

// The control plane's time: what time it is and how to wait. Injected, so that the health
// checker and the reconciler run on a fake clock in unit tests.
class ControlClock {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~ControlClock() = default;
    virtual TimePoint now() const = 0;
    // Completes on the calling coroutine's executor once `duration` has passed.
    virtual boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) = 0;
};

// The real clock: std::chrono::steady_clock and Asio timers.
class SteadyControlClock final : public ControlClock {
  public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
    boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) override;
};

}  // namespace ringlb::balancer
