#include "net/termination_signals.hpp"

#include <csignal>

#include "common/log.hpp"

namespace ringlb::net {

void ignore_sigpipe() {
    std::signal(SIGPIPE, SIG_IGN);
}

TerminationSignals::TerminationSignals(boost::asio::io_context& ctx,
                                       std::function<void(int)> on_signal)
    : signals_(ctx, SIGINT, SIGTERM),
      ignored_(ctx, SIGHUP, SIGUSR1),
      on_signal_(std::move(on_signal)) {
    ignore_sigpipe();
    wait();
    wait_ignored();
}

void TerminationSignals::cancel() {
    cancelled_ = true;
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    ignored_.cancel(ignored);
}

void TerminationSignals::wait() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
        if (ec || cancelled_) {
            return;
        }
        on_signal_(signo);
        if (!cancelled_) {
            wait();
        }
    });
}

void TerminationSignals::wait_ignored() {
    ignored_.async_wait([this](const boost::system::error_code& ec, int signo) {
        if (ec || cancelled_) {
            return;
        }
        log::info("signal_ignored", {{"signal", signo == SIGHUP ? "SIGHUP" : "SIGUSR1"}});
        wait_ignored();
    });
}

}  // namespace ringlb::net
