#include "drivers/process/free_port.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/listener.hpp"

namespace ringlb::drivers {

namespace {

// Tries before giving up; the kernel hands out ephemeral ports in turn, so a repeat is rare.
constexpr int kTries = 16;

}  // namespace

std::optional<std::uint16_t> pick_free_port(const std::string& host,
                                            const std::set<std::uint16_t>& taken) {
    boost::asio::io_context ctx;
    for (int i = 0; i < kTries; ++i) {
        boost::system::error_code ec;
        boost::asio::ip::tcp::acceptor acceptor(ctx);
        const auto endpoint = net::make_endpoint(host, 0);
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor.bind(endpoint, ec);
        }
        if (ec) {
            return std::nullopt;
        }
        const std::uint16_t port = acceptor.local_endpoint(ec).port();
        if (!ec && port != 0 && !taken.contains(port)) {
            return port;
        }
    }
    return std::nullopt;
}

}  // namespace ringlb::drivers
