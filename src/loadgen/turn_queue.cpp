#include "loadgen/turn_queue.hpp"

#include <utility>

namespace ringlb::loadgen {

void TurnQueue::give(Turn turn) {
    if (idle_.empty()) {
        kept_.push_back(std::move(turn));
        return;
    }
    Idle* idle = idle_.front();
    idle_.pop_front();
    idle->turn = std::move(turn);
    idle->parking.wake();
}

void TurnQueue::close() {
    closed_ = true;
    for (Idle* idle : idle_) {
        idle->parking.wake();
    }
    idle_.clear();
}

boost::asio::awaitable<std::optional<TakenTurn>> TurnQueue::take() {
    if (!kept_.empty()) {
        TakenTurn taken{.turn = std::move(kept_.front()), .waited = true};
        kept_.pop_front();
        co_return taken;
    }
    if (closed_) {
        co_return std::nullopt;
    }
    Idle idle;
    idle_.push_back(&idle);
    co_await idle.parking.park();
    if (!idle.turn) {
        co_return std::nullopt;
    }
    co_return TakenTurn{.turn = std::move(*idle.turn), .waited = false};
}

}  // namespace ringlb::loadgen
