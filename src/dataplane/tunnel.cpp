#include "dataplane/tunnel.hpp"

#include <array>
#include <atomic>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace ringlb::balancer {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Each direction's buffer while bytes pass.
constexpr std::size_t kTunnelRead = std::size_t{8} * 1024;

std::atomic<std::uint64_t> g_open{0};
std::atomic<std::uint64_t> g_total{0};
std::atomic<std::uint64_t> g_bytes{0};

struct Ends {
    net::TrackedConnection& client;
    net::TrackedConnection& replica;
    Millis idle_timeout;

    // Traffic either way keeps both ends alive.
    void active() {
        client.busy_for(idle_timeout);
        replica.busy_for(idle_timeout);
    }
};

// One direction: what `from` sends goes to `to`, until `from` closes or either fails. The end
// of one direction ends the tunnel (the other is cancelled), as WebSocket and most upgraded
// protocols close both ways together.
asio::awaitable<void> pass(tcp::socket& from, tcp::socket& to, Ends& ends) {
    for (;;) {
        // The buffer exists only while bytes are passing: an idle tunnel (most WebSockets, most
        // of the time) holds none, only its coroutine frames.
        auto [wait_ec] = co_await from.async_wait(tcp::socket::wait_read, kUseTuple);
        if (wait_ec) {
            co_return;
        }
        const auto buffer = std::make_unique_for_overwrite<char[]>(kTunnelRead);
        auto [ec, n] =
            co_await from.async_read_some(asio::buffer(buffer.get(), kTunnelRead), kUseTuple);
        if (ec) {
            co_return;
        }
        ends.active();
        auto [write_ec, written] =
            co_await asio::async_write(to, asio::buffer(buffer.get(), n), kUseTuple);
        if (write_ec) {
            co_return;
        }
        g_bytes.fetch_add(n, std::memory_order_relaxed);
    }
}

// Counts the tunnel open while it lives.
struct OpenTunnel {
    OpenTunnel() {
        g_open.fetch_add(1, std::memory_order_relaxed);
        g_total.fetch_add(1, std::memory_order_relaxed);
    }
    ~OpenTunnel() { g_open.fetch_sub(1, std::memory_order_relaxed); }
    OpenTunnel(const OpenTunnel&) = delete;
    OpenTunnel& operator=(const OpenTunnel&) = delete;
};

}  // namespace

void append_switch_head(const net::ResponseHead& answer, std::string& out) {
    append_status_and_headers(answer, out);
    out += "Connection: Upgrade\r\nUpgrade: ";
    out += answer.upgrade;
    out += "\r\n\r\n";
}

asio::awaitable<void> tunnel(net::WorkerContext& worker, net::Connection& client,
                             boost::beast::flat_buffer& client_unread, AnswerStream stream,
                             const std::string& head, Millis idle_timeout) {
    using namespace asio::experimental::
        awaitable_operators;  // NOLINT(google-build-using-namespace)
    const OpenTunnel counted;
    UpstreamConnection& replica = *stream.connection;
    net::TrackedConnection tracked(worker.connections, replica.socket);
    tracked.entry().cut_when = stream.abandoned;
    Ends ends{client.tracked, tracked, idle_timeout};
    ends.active();
    // The 101 and what the replica sent behind it; then what the client sent behind its request.
    const std::array<asio::const_buffer, 2> first = {asio::buffer(head), replica.buffer.data()};
    auto [ec, written] = co_await asio::async_write(client.socket, first, kUseTuple);
    replica.buffer.consume(replica.buffer.size());
    replica.buffer.shrink_to_fit();  // the tunnel reads with buffers of its own
    if (ec) {
        co_return;
    }
    if (client_unread.size() > 0) {
        auto [unread_ec, n] =
            co_await asio::async_write(replica.socket, client_unread.data(), kUseTuple);
        client_unread.consume(client_unread.size());
        if (unread_ec) {
            co_return;
        }
    }
    client_unread.shrink_to_fit();
    co_await (pass(client.socket, replica.socket, ends) ||
              pass(replica.socket, client.socket, ends));
    error_code ignored;
    replica.socket.shutdown(tcp::socket::shutdown_both, ignored);
}

std::uint64_t tunnels_open() {
    return g_open.load(std::memory_order_relaxed);
}

std::uint64_t tunnels_total() {
    return g_total.load(std::memory_order_relaxed);
}

std::uint64_t tunnel_bytes() {
    return g_bytes.load(std::memory_order_relaxed);
}

}  // namespace ringlb::balancer
