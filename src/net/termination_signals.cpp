#include "net/termination_signals.hpp"

#include <csignal>

namespace ringlb::net {

TerminationSignals::TerminationSignals(boost::asio::io_context& ctx,
                                       std::function<void(int)> on_signal)
    : signals_(ctx, SIGINT, SIGTERM), on_signal_(std::move(on_signal)) {
    wait();
}

void TerminationSignals::cancel() {
    cancelled_ = true;
    boost::system::error_code ignored;
    signals_.cancel(ignored);
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

}  // namespace ringlb::net
