#include "net/listener.hpp"

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <sys/socket.h>

#include <boost/asio/detail/socket_option.hpp>

namespace ringlb::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

namespace {

[[noreturn]] void fail(const tcp::endpoint& endpoint, const char* what,
                       const boost::system::error_code& ec) {
    throw std::runtime_error("cannot listen on " + to_string(endpoint) + ": " + what + ": " +
                             ec.message());
}

}  // namespace

tcp::endpoint claim_port(asio::io_context& ctx, const tcp::endpoint& endpoint) {
    tcp::acceptor probe(ctx);
    boost::system::error_code ec;
    probe.open(endpoint.protocol(), ec);
    if (ec) {
        fail(endpoint, "socket", ec);
    }
    probe.set_option(tcp::acceptor::reuse_address(true), ec);
    probe.bind(endpoint, ec);
    if (ec) {
        fail(endpoint, "bind", ec);
    }
    return probe.local_endpoint();
}

tcp::acceptor open_listener(asio::io_context& ctx, const tcp::endpoint& endpoint) {
    tcp::acceptor acceptor(ctx);
    boost::system::error_code ec;
    auto fail = [&](const char* what) { net::fail(endpoint, what, ec); };
    acceptor.open(endpoint.protocol(), ec);
    if (ec) {
        fail("socket");
    }
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor.set_option(ReusePort(true), ec);
    if (ec) {
        fail("SO_REUSEPORT");
    }
    acceptor.bind(endpoint, ec);
    if (ec) {
        fail("bind");
    }
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        fail("listen");
    }
    return acceptor;
}

tcp::endpoint make_endpoint(const std::string& host, std::uint16_t port) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        throw std::invalid_argument("'" + host + "' is not an IP address");
    }
    return {address, port};
}

std::optional<tcp::endpoint> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
        return std::nullopt;
    }
    boost::system::error_code address_ec;
    const auto address = asio::ip::make_address(std::string(host), address_ec);
    if (address_ec) {
        return std::nullopt;
    }
    return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

bool is_local_resource_error(const boost::system::error_code& ec) {
    // Other categories (asio's misc, Beast's) reuse the same numbers for other meanings.
    if (ec.category() != boost::system::system_category() &&
        ec.category() != boost::system::generic_category()) {
        return false;
    }
    switch (ec.value()) {
        case EMFILE:
        case ENFILE:
        case ENOMEM:
        case ENOBUFS:
            return true;
        default:
            return false;
    }
}

std::string to_string(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

}  // namespace ringlb::net
