#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "net/parking.hpp"

namespace ringlb::loadgen {

// One request of a run: its place in the run, when it is due, its path (an index into the mix)
// and the key it carries, if any.
struct Turn {
    std::uint64_t index = 0;
    std::chrono::steady_clock::time_point due;
    std::size_t path = 0;
    std::optional<std::string> id;
};

// A turn as a connection takes it: `waited` when no connection was free at the time it was given.
struct TakenTurn {
    Turn turn;
    bool waited = false;
};

// Hands an open loop's requests from its scheduler to its connections, on one thread. The
// scheduler gives each turn when it is due: straight to a connection waiting in take() if there is
// one, else the turn waits, in order, for the first connection to come back. Turns are taken in
// the order they were given.
class TurnQueue {
  public:
    TurnQueue() = default;
    TurnQueue(const TurnQueue&) = delete;
    TurnQueue& operator=(const TurnQueue&) = delete;
    TurnQueue(TurnQueue&&) = delete;
    TurnQueue& operator=(TurnQueue&&) = delete;
    ~TurnQueue() = default;

    // The scheduler: no turn follows a call to close(). Must not be called after it.
    void give(Turn turn);

    // No more turns: the connections waiting now, and every take() once the waiting turns are
    // gone, get nothing.
    void close();

    // A connection: the oldest waiting turn, else the next one given, else nothing once closed.
    boost::asio::awaitable<std::optional<TakenTurn>> take();

    // Turns given that no connection has taken yet.
    std::size_t waiting_turns() const { return kept_.size(); }

  private:
    // A connection parked in take(), and the turn handed to it.
    struct Idle {
        net::Parking parking;
        std::optional<Turn> turn;
    };

    std::deque<Idle*> idle_;
    std::deque<Turn> kept_;
    bool closed_ = false;
};

}  // namespace ringlb::loadgen
