#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>

namespace ringlb::net {

using Clock = std::chrono::steady_clock;

// The client connections of one worker, with their deadlines. Touched only from that worker's
// thread, so nothing here locks.
//
// It also finds connections that have waited for their next request for at least two ticks and
// cancels their read with park_requested set: their session then ends, giving back its buffers
// and coroutine frames, and the server holds the bare socket until it becomes readable (see
// SessionEnd in net/server.hpp). Busy keep-alive clients, whose next request comes within
// milliseconds, are never parked; 10 000 idle ones cost a socket each, not a session each.
//
// Timeouts are enforced by one ticker per worker instead of a timer per operation: arming an
// Asio timer per request costs a timerfd update (a syscall) whenever it becomes the earliest,
// while writing a deadline into the entry costs nothing. The price is precision: a deadline fires
// up to one tick late.
class ConnectionSet {
  public:
    using Hook = boost::intrusive::list_base_hook<
        boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

    // One per live connection; lives beside the connection's socket and unlinks itself when
    // destroyed.
    struct Entry : Hook {
        explicit Entry(boost::asio::ip::tcp::socket& s) : socket(&s) {}
        boost::asio::ip::tcp::socket* socket;
        Clock::time_point deadline = Clock::time_point::max();
        Clock::time_point idle_since;  // when it last began waiting for a request
        bool idle = false;             // between requests: safe to close when draining
        bool timed_out = false;        // set when the ticker cancelled it for passing its deadline
        bool parkable = false;         // has begun a request (so its last read came back short)
        bool park_requested = false;   // set when the ticker cancelled its read for idling long
        // Set by another thread when what the connection waits on is gone (a replica marked
        // down): the ticker then cancels it and sets `cut`.
        const std::atomic<bool>* cut_when = nullptr;
        bool cut = false;
    };

    ConnectionSet(boost::asio::io_context& ctx, Clock::duration tick);

    // Runs the ticker until the set has drained. co_spawn it once per worker.
    boost::asio::awaitable<void> run_ticker();

    void add(Entry& entry);
    std::size_t size() const { return size_; }
    void on_removed() { --size_; }

    // Stops new work: idle connections are closed now, busy ones after their current answer
    // (connections check draining()), and whatever is left at `deadline` is closed too.
    void drain(Clock::duration grace);
    bool draining() const { return draining_; }

    // A clock read once per tick; good enough for deadlines measured in seconds.
    Clock::time_point now() const { return now_; }
    // The current time as an HTTP Date header value, refreshed once per tick.
    std::string_view http_date() const { return date_; }

  private:
    void refresh_clock();
    void expire(Clock::time_point now, bool force);

    boost::asio::steady_timer ticker_;
    Clock::duration tick_;
    boost::intrusive::list<Entry, boost::intrusive::constant_time_size<false>> entries_;
    std::size_t size_ = 0;
    bool draining_ = false;
    Clock::time_point drain_deadline_ = Clock::time_point::max();
    Clock::time_point now_;
    std::string date_;
    std::time_t date_second_ = 0;
};

// Registers an entry for the lifetime of a connection.
class TrackedConnection {
  public:
    TrackedConnection(ConnectionSet& set, boost::asio::ip::tcp::socket& socket)
        : set_(set), entry_(socket) {
        entry_.idle_since = set_.now();
        set_.add(entry_);
    }
    ~TrackedConnection() { set_.on_removed(); }
    TrackedConnection(const TrackedConnection&) = delete;
    TrackedConnection& operator=(const TrackedConnection&) = delete;

    ConnectionSet::Entry& entry() { return entry_; }
    bool draining() const { return set_.draining(); }
    // Marks the connection busy until `timeout` from now.
    void busy_for(Clock::duration timeout) {
        entry_.idle = false;
        entry_.parkable = true;
        entry_.deadline = set_.now() + timeout;
    }
    // Marks the connection idle (waiting for a next request) until `timeout` from now. A
    // connection that is idle already (a session started again after a parking) keeps its
    // clock: being woken without a request does not extend its idle timeout.
    void idle_for(Clock::duration timeout) {
        entry_.park_requested = false;
        if (entry_.idle) {
            return;
        }
        entry_.idle = true;
        entry_.idle_since = set_.now();
        entry_.deadline = entry_.idle_since + timeout;
    }

  private:
    ConnectionSet& set_;
    ConnectionSet::Entry entry_;
};

}  // namespace ringlb::net
