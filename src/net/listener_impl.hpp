#pragma once

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::net {

inline constexpr std::chrono::milliseconds kAcceptRetryPause{50};

template <class OnAccept, class OnExhausted, class OnAcceptedAgain>
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor,
                                         OnAccept on_accept, OnExhausted on_exhausted,
                                         OnAcceptedAgain on_accepted_again) {
    namespace asio = boost::asio;
    asio::ip::tcp::endpoint peer;  // filled by accept4 itself: no getpeername later
    bool exhausted = false;
    for (;;) {
        auto [ec, socket] =
            co_await acceptor.async_accept(peer, asio::as_tuple(asio::use_awaitable));
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) {
            co_return;
        }
        if (ec) {
            // The pending connections stay queued; they are answered (on_exhausted) or accepted
            // once descriptors are free again.
            if (is_local_resource_error(ec)) {
                exhausted = true;
                on_exhausted();
            }
            asio::steady_timer pause(acceptor.get_executor(), kAcceptRetryPause);
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        if (exhausted) {
            exhausted = false;
            on_accepted_again();
        }
        boost::system::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        on_accept(std::move(socket), peer);
    }
}

}  // namespace ringlb::net
