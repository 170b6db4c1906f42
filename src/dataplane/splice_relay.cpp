#include "dataplane/splice_relay.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <unistd.h>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ringlb::balancer {

namespace asio = boost::asio;
using boost::asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// What one splice asks for: a pipe's default capacity.
constexpr std::size_t kPipeCapacity = std::size_t{64} * 1024;
// Moved without a wait, a body gives the worker's other connections a turn after this much.
constexpr std::uint64_t kTurn = std::uint64_t{1024} * 1024;
// Empty pipes a worker keeps for its next bodies.
constexpr std::size_t kIdlePipesPerWorker = 8;

std::atomic<std::size_t> g_budget{0};
std::atomic<std::size_t> g_open{0};
std::atomic<std::uint64_t> g_spliced{0};

struct Pipe {
    int read_end = -1;
    int write_end = -1;
};

void close_pipe(Pipe pipe) {
    ::close(pipe.read_end);
    ::close(pipe.write_end);
    g_open.fetch_sub(1, std::memory_order_relaxed);
}

// One worker's empty pipes. Each worker is one thread, so one pool per thread.
class PipePool {
  public:
    PipePool() = default;
    PipePool(const PipePool&) = delete;
    PipePool& operator=(const PipePool&) = delete;
    ~PipePool() {
        for (const Pipe pipe : idle_) {
            close_pipe(pipe);
        }
    }

    std::optional<Pipe> take() {
        if (!idle_.empty()) {
            const Pipe pipe = idle_.back();
            idle_.pop_back();
            return pipe;
        }
        std::size_t open = g_open.load(std::memory_order_relaxed);
        do {
            if (open >= g_budget.load(std::memory_order_relaxed)) {
                return std::nullopt;
            }
        } while (!g_open.compare_exchange_weak(open, open + 1, std::memory_order_relaxed));
        std::array<int, 2> ends{};
        if (::pipe2(ends.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
            g_open.fetch_sub(1, std::memory_order_relaxed);
            return std::nullopt;
        }
        return Pipe{ends[0], ends[1]};
    }

    // A pipe that still holds bytes (its body was cut) is closed, never reused.
    void give_back(Pipe pipe, bool empty) {
        if (empty && idle_.size() < kIdlePipesPerWorker) {
            idle_.push_back(pipe);
        } else {
            close_pipe(pipe);
        }
    }

  private:
    std::vector<Pipe> idle_;
};

thread_local PipePool t_pipes;

// A pipe taken for one body, given back when the body ends however it ends.
struct PipeLease {
    explicit PipeLease(Pipe taken) : pipe(taken) {}
    Pipe pipe;
    std::size_t held = 0;  // bytes in the pipe, not yet taken by the client's socket
    PipeLease(const PipeLease&) = delete;
    PipeLease& operator=(const PipeLease&) = delete;
    ~PipeLease() { t_pipes.give_back(pipe, held == 0); }
};

// One splice(2) without waiting: bytes moved, 0 when there is nothing to move now (EAGAIN), or
// nullopt when the source ended or either side failed.
std::optional<std::size_t> splice_once(int from, int to, std::size_t length, bool end_is_failure) {
    const ssize_t n =
        ::splice(from, nullptr, to, nullptr, length, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
        return static_cast<std::size_t>(n);
    }
    if (n == 0) {
        return end_is_failure ? std::nullopt : std::optional<std::size_t>{0};
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return std::size_t{0};
    }
    return std::nullopt;
}

bool cut_meanwhile(net::TrackedConnection& replica, net::Connection& client) {
    return replica.entry().timed_out || replica.entry().cut || client.tracked.entry().timed_out;
}

}  // namespace

void set_pipe_budget(std::size_t pipes) {
    g_budget.store(pipes, std::memory_order_relaxed);
}

asio::awaitable<SpliceEnd> splice_body(tcp::socket& replica,
                                       net::TrackedConnection& replica_tracked,
                                       net::Connection& client, std::uint64_t length,
                                       Millis idle_timeout) {
    std::optional<Pipe> pipe = t_pipes.take();
    if (!pipe) {
        co_return SpliceEnd::no_pipe;
    }
    PipeLease lease{*pipe};
    boost::system::error_code ec;
    replica.native_non_blocking(true, ec);
    client.socket.native_non_blocking(true, ec);
    if (ec) {
        co_return SpliceEnd::cut;
    }
    std::uint64_t to_read = length;
    std::uint64_t since_turn = 0;
    while (to_read > 0 || lease.held > 0) {
        std::size_t moved = 0;
        if (to_read > 0 && lease.held < kPipeCapacity) {
            const auto in = splice_once(replica.native_handle(), lease.pipe.write_end,
                                        static_cast<std::size_t>(std::min<std::uint64_t>(
                                            to_read, kPipeCapacity - lease.held)),
                                        true);
            if (!in) {
                co_return SpliceEnd::cut;  // the replica closed before the length, or failed
            }
            to_read -= *in;
            lease.held += *in;
            moved += *in;
        }
        if (lease.held > 0) {
            const auto out =
                splice_once(lease.pipe.read_end, client.socket.native_handle(), lease.held, false);
            if (!out) {
                co_return SpliceEnd::cut;
            }
            lease.held -= *out;
            g_spliced.fetch_add(*out, std::memory_order_relaxed);
            moved += *out;
        }
        if (moved > 0) {
            replica_tracked.busy_for(idle_timeout);
            client.tracked.busy_for(idle_timeout);
            since_turn += moved;
            if (since_turn >= kTurn) {
                since_turn = 0;
                co_await asio::post(replica.get_executor(), asio::use_awaitable);
            }
            continue;
        }
        // Neither side could move: wait for the one holding things up. A cancel from the ticker
        // reaches only a wait that is pending, so look first whether one came meanwhile.
        if (cut_meanwhile(replica_tracked, client)) {
            co_return SpliceEnd::cut;
        }
        auto [wait_ec] = lease.held > 0
                             ? co_await client.socket.async_wait(tcp::socket::wait_write, kUseTuple)
                             : co_await replica.async_wait(tcp::socket::wait_read, kUseTuple);
        if (wait_ec) {
            co_return SpliceEnd::cut;
        }
    }
    co_return SpliceEnd::whole;
}

std::uint64_t spliced_bytes() {
    return g_spliced.load(std::memory_order_relaxed);
}

std::size_t pipes_open() {
    return g_open.load(std::memory_order_relaxed);
}

}  // namespace ringlb::balancer
