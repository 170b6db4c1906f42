#include "net/connection_set.hpp"

#include <array>
#include <ctime>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::net {

namespace asio = boost::asio;

ConnectionSet::ConnectionSet(asio::io_context& ctx, Clock::duration tick)
    : ticker_(ctx), tick_(tick) {
    refresh_clock();
}

void ConnectionSet::add(Entry& entry) {
    entries_.push_back(entry);
    ++size_;
}

asio::awaitable<void> ConnectionSet::run_ticker() {
    while (!(draining_ && size_ == 0)) {
        ticker_.expires_after(tick_);
        co_await ticker_.async_wait(asio::as_tuple(asio::use_awaitable));
        refresh_clock();
        expire(now_, draining_ && now_ >= drain_deadline_);
    }
}

void ConnectionSet::drain(Clock::duration grace) {
    draining_ = true;
    drain_deadline_ = Clock::now() + grace;
    for (Entry& entry : entries_) {
        if (entry.idle) {
            boost::system::error_code ignored;
            entry.socket->cancel(ignored);
        }
    }
}

void ConnectionSet::expire(Clock::time_point now, bool force) {
    for (Entry& entry : entries_) {
        boost::system::error_code ignored;
        if (force || entry.deadline <= now) {
            entry.timed_out = true;
            entry.deadline = Clock::time_point::max();
            entry.socket->cancel(ignored);
        } else if (entry.cut_when != nullptr && entry.cut_when->load(std::memory_order_acquire)) {
            entry.cut = true;
            entry.cut_when = nullptr;
            entry.deadline = Clock::time_point::max();
            entry.socket->cancel(ignored);
        } else if (entry.idle && entry.parkable && !entry.park_requested &&
                   now - entry.idle_since >= 2 * tick_) {
            // Two ticks, not one: a client that paused just before a tick is not parked. Only
            // connections that have begun a request: a client that has never sent a byte would
            // wake its parked socket at once (the reactor has not yet seen a short read there),
            // so it just waits in its session until its idle timeout.
            entry.park_requested = true;
            entry.socket->cancel(ignored);
        }
    }
}

void ConnectionSet::refresh_clock() {
    now_ = Clock::now();
    const std::time_t second = std::time(nullptr);
    if (second == date_second_) {
        return;
    }
    date_second_ = second;
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::array<char, 64> text{};
    const std::size_t n =
        std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    date_.assign(text.data(), n);
}

}  // namespace ringlb::net
