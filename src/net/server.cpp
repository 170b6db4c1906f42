#include "net/server.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "net/edge_read.hpp"
#include "net/listener.hpp"

namespace ringlb::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Deadlines are checked this often; timeouts fire up to this much late.
constexpr Clock::duration kDeadlineTick = std::chrono::milliseconds(100);
// Out of descriptors, a worker answers at most this many waiting clients per accept pause, so it
// also gets back to the connections it already has.
constexpr std::size_t kMaxRefusalsPerPause = 64;
// Out of descriptors, how long the kernel holds back a connection that has sent nothing yet.
constexpr int kDeferAcceptSeconds = 2;

void log_if_failed(const std::exception_ptr& failure, std::string_view what) {
    if (!failure) {
        return;
    }
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        log::error(what, {{"error", e.what()}});
    }
}

// Answers a client that is turned away and closes its connection. What the client already sent
// is read and dropped first: closing with unread bytes makes the kernel send a reset, which can
// destroy the answer before the client reads it. Non-blocking: only what has arrived is read.
void refuse(int fd, std::string_view refusal) {
    [[maybe_unused]] const auto sent =
        ::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    std::array<char, 4096> sink{};
    for (int i = 0; i < 16; ++i) {
        if (::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT) <= 0) {
            break;
        }
    }
    ::close(fd);
}

}  // namespace

// A descriptor held back for the moment the process runs out: freed, it lets the listener accept
// one waiting client to answer it. /dev/null, opened again right after.
class SpareDescriptor {
  public:
    SpareDescriptor() { reopen(); }
    ~SpareDescriptor() { release(); }
    SpareDescriptor(const SpareDescriptor&) = delete;
    SpareDescriptor& operator=(const SpareDescriptor&) = delete;

    bool held() const { return fd_ >= 0; }
    void release() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    bool reopen() {
        if (fd_ < 0) {
            fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        }
        return fd_ >= 0;
    }

  private:
    int fd_ = -1;
};

struct Server::Worker {
    Worker(asio::io_context& ctx, std::size_t index, tcp::acceptor listener)
        : context(ctx, index, kDeadlineTick), acceptor(std::move(listener)) {}

    WorkerContext context;
    tcp::acceptor acceptor;
    SpareDescriptor spare;
};

Server::Server(WorkerPool& pool, const tcp::endpoint& endpoint, Session session,
               ConnectionLimit limit)
    : session_(std::move(session)),
      limit_(std::move(limit)),
      local_endpoint_(claim_port(pool.context(0), endpoint)) {
    for (std::size_t i = 0; i < pool.size(); ++i) {
        workers_.push_back(std::make_unique<Worker>(
            pool.context(i), i, open_listener(pool.context(i), local_endpoint_)));
        listener_fds_.push_back(workers_.back()->acceptor.native_handle());
    }
}

Server::~Server() = default;

void Server::start() {
    for (auto& worker : workers_) {
        WorkerContext& context = worker->context;
        asio::co_spawn(context.io, context.connections.run_ticker(),
                       [](const std::exception_ptr& e) { log_if_failed(e, "ticker_failed"); });
        auto on_accept = [this, &context](tcp::socket socket, const tcp::endpoint& peer) {
            accept(std::move(socket), peer, context);
        };
        auto on_exhausted = [this, &worker = *worker] { refuse_waiting(worker); };
        auto on_accepted_again = [this] { leave_pressure(); };
        asio::co_spawn(context.io,
                       accept_loop(worker->acceptor, on_accept, on_exhausted, on_accepted_again),
                       [](const std::exception_ptr& e) { log_if_failed(e, "accept_failed"); });
    }
}

void Server::accept(tcp::socket socket, const tcp::endpoint& peer, WorkerContext& context) {
    if (limit_.max != 0 && open_.load(std::memory_order_relaxed) >= limit_.max) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        // A new socket's send buffer is empty, so this short write completes at once or not at all.
        boost::system::error_code released;
        const int fd = socket.release(released);
        if (!released) {
            refuse(fd, limit_.refusal);
        }
        return;
    }
    open_.fetch_add(1, std::memory_order_relaxed);
    serve(std::make_unique<Connection>(std::move(socket), peer, context.connections), context);
}

void Server::refuse_waiting(Worker& worker) {
    if (draining_.load()) {
        return;  // the listeners are closing; their numbers may already be another file's
    }
    if (!in_pressure_.exchange(true)) {
        log::warn("descriptors_exhausted",
                  {{"open_connections", open_.load(std::memory_order_relaxed)}});
        sync_accept_deferral();
    }
    // Every listener's backlog, not only this worker's: another worker may have lost its spare
    // descriptor to a thread that took the number while it was free.
    for (const int listener : listener_fds_) {
        if (!refuse_backlog(worker.spare, listener)) {
            break;
        }
    }
    worker.spare.reopen();
}

// Each client waiting in the backlog is accepted on the spare descriptor, answered and closed,
// so it learns at once instead of hanging until the process has descriptors again. False when
// the spare could not be had.
bool Server::refuse_backlog(SpareDescriptor& spare, int listener) {
    for (std::size_t i = 0; i < kMaxRefusalsPerPause; ++i) {
        if (!spare.reopen()) {
            return false;  // another thread took the number meanwhile; next pause
        }
        spare.release();
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            return spare.reopen();  // the backlog is empty (or the number was taken)
        }
        refuse(fd, limit_.refusal);
        refused_no_descriptor_.fetch_add(1, std::memory_order_relaxed);
    }
    return true;
}

void Server::leave_pressure() {
    if (in_pressure_.exchange(false)) {
        sync_accept_deferral();
        log::info("descriptors_available",
                  {{"refused_so_far", refused_no_descriptor_.load(std::memory_order_relaxed)}});
    }
}

// While out of descriptors, a client is refused as soon as it is accepted. One accepted before
// its request arrived would have the request reach a closed socket, and the kernel would answer
// it with a reset that can destroy the 503 before the client reads it. TCP_DEFER_ACCEPT makes the
// kernel hold a connection back until its first bytes arrive, so refuse() finds them and drops
// them before it closes. Outside pressure, connections are accepted as soon as they are made.
void Server::sync_accept_deferral() {
    // Under the lock, from the flag as it is now: whichever thread comes last sets what holds.
    const std::lock_guard lock(defer_mutex_);
    if (draining_.load()) {
        return;
    }
    const int seconds = in_pressure_.load() ? kDeferAcceptSeconds : 0;
    for (const int listener : listener_fds_) {
        if (::setsockopt(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof seconds) != 0 &&
            !defer_failure_logged_) {
            defer_failure_logged_ = true;
            log::warn("accept_deferral_failed", {{"error", std::strerror(errno)}});
        }
    }
}

void Server::serve(std::unique_ptr<Connection> connection, WorkerContext& context) {
    Connection& borrowed = *connection;
    asio::co_spawn(context.io, session_(borrowed, context),
                   [this, &context, owned = std::move(connection)](const std::exception_ptr& e,
                                                                   SessionEnd end) mutable {
                       log_if_failed(e, "connection_failed");
                       if (!e && end == SessionEnd::idle) {
                           hold(std::move(owned), context);
                       } else {
                           close(std::move(owned));
                       }
                   });
}

void Server::hold(std::unique_ptr<Connection> connection, WorkerContext& context) {
    if (context.connections.draining()) {
        close(std::move(connection));
        return;
    }
    Connection& held = *connection;
    auto on_readable = [this, &context, owned = std::move(connection)](
                           const boost::system::error_code& ec) mutable {
        // Cancelled: its idle timeout passed or the server is draining.
        if (ec || owned->tracked.entry().timed_out || context.connections.draining()) {
            close(std::move(owned));
        } else {
            serve(std::move(owned), context);
        }
    };
    async_wait_edge(held.socket, std::move(on_readable));
}

void Server::close(std::unique_ptr<Connection> connection) {
    connection.reset();
    open_.fetch_sub(1, std::memory_order_relaxed);
}

void Server::drain(Clock::duration grace) {
    // Before any listener closes: a worker out of descriptors stops using the others' numbers.
    draining_.store(true);
    for (auto& worker : workers_) {
        asio::post(worker->context.io, [w = worker.get(), grace] {
            boost::system::error_code ignored;
            w->acceptor.close(ignored);
            w->context.connections.drain(grace);
        });
    }
}

}  // namespace ringlb::net
