#pragma once

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace ringlb::net {

// Delivers SIGINT and SIGTERM to a handler on an io_context thread (Asio's signal_set does the
// async-signal-safe part). The handler sees every signal: the first usually starts a graceful
// drain and a second one can cut it short.
class TerminationSignals {
public:
    TerminationSignals(boost::asio::io_context& ctx, std::function<void(int)> on_signal);
    // Stops listening, so the io_context can run out of work.
    void cancel();

private:
    void wait();

    boost::asio::signal_set signals_;
    std::function<void(int)> on_signal_;
    bool cancelled_ = false;
};

}  // namespace ringlb::net
