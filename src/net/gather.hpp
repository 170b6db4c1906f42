#pragma once

#include <cstddef>
#include <exception>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::net {

// Runs `tasks` concurrently on `executor` (which must be the caller's own single-threaded one)
// and returns their results in order once all have finished. A task that throws yields T{}: the
// tasks used here report errors as values, so a throw is a bug, not a result.
template <class T>
boost::asio::awaitable<std::vector<T>> gather(boost::asio::any_io_executor executor,
                                              std::vector<boost::asio::awaitable<T>> tasks) {
    std::vector<T> results(tasks.size());
    std::size_t pending = tasks.size();
    boost::asio::steady_timer all_done(executor, boost::asio::steady_timer::time_point::max());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        boost::asio::co_spawn(executor, std::move(tasks[i]),
                              [&results, &pending, &all_done, i](std::exception_ptr failure, T value) {
                                  if (!failure) {
                                      results[i] = std::move(value);
                                  }
                                  if (--pending == 0) {
                                      all_done.cancel();
                                  }
                              });
    }
    if (pending > 0) {
        co_await all_done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return results;
}

}  // namespace ringlb::net
