#pragma once

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace ringlb::net {

// SIGPIPE ignored from now on: a write to a pipe whose reader went away (stderr read by a log
// collector that restarted, `| head`) fails with EPIPE instead of ending the process. ringlb calls
// it first thing, before any line is logged; TerminationSignals calls it too.
void ignore_sigpipe();

// Delivers SIGINT and SIGTERM to a handler on an io_context thread (Asio's signal_set does the
// async-signal-safe part). The handler sees every signal: the first usually starts a graceful
// drain and a second one can cut it short.
//
// The other signals whose default action would end the process without a drain are taken care of
// here too, for as long as the object lives: SIGPIPE is ignored (a reader of stderr or stdout that
// goes away costs log lines, counted by log::lost_lines(), not the process and its replicas), and
// SIGHUP and SIGUSR1 are logged (`signal_ignored`) and otherwise ignored.
class TerminationSignals {
  public:
    TerminationSignals(boost::asio::io_context& ctx, std::function<void(int)> on_signal);
    // Stops listening, so the io_context can run out of work.
    void cancel();

  private:
    void wait();
    void wait_ignored();

    boost::asio::signal_set signals_;
    boost::asio::signal_set ignored_;
    std::function<void(int)> on_signal_;
    bool cancelled_ = false;
};

}  // namespace ringlb::net
