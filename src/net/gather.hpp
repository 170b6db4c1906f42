#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include "net/check.hpp"
#include "net/parking.hpp"

namespace ringlb::net {

// Runs `tasks` concurrently on `executor` (which must be the caller's own single-threaded one)
// and returns their results in order once all have finished. The tasks report errors as values:
// a task that throws is a bug, and aborts the program with its message.
template <class T>
boost::asio::awaitable<std::vector<T>> gather(boost::asio::any_io_executor executor,
                                              std::vector<boost::asio::awaitable<T>> tasks) {
    std::vector<std::optional<T>> finished(tasks.size());
    std::size_t pending = tasks.size();
    Parking all_done;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        boost::asio::co_spawn(
            executor, std::move(tasks[i]),
            [&finished, &pending, &all_done, i](const std::exception_ptr& failure, T value) {
                AbortOnThrow{"a gathered task"}(failure);
                finished[i] = std::move(value);
                if (--pending == 0) {
                    all_done.wake();
                }
            });
    }
    if (pending > 0) {
        co_await all_done.park();
    }
    std::vector<T> results;
    results.reserve(finished.size());
    for (auto& result : finished) {
        results.push_back(std::move(*result));
    }
    co_return results;
}

}  // namespace ringlb::net
