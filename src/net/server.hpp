#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/connection_set.hpp"
#include "net/worker_pool.hpp"

namespace ringlb::net {

// What a connection's coroutine gets to know about the worker it runs on.
struct WorkerContext {
    WorkerContext(boost::asio::io_context& ctx, std::size_t worker_index, Clock::duration tick)
        : io(ctx), index(worker_index), connections(ctx, tick) {}

    boost::asio::io_context& io;
    std::size_t index;
    ConnectionSet connections;
};

// A client connection as the server holds it: the socket, the client's address and its entry in
// the worker's ConnectionSet. A session borrows it while it serves requests.
struct Connection {
    Connection(boost::asio::ip::tcp::socket s, const boost::asio::ip::tcp::endpoint& from,
               ConnectionSet& set)
        : socket(std::move(s)), peer(from), tracked(set, socket) {}

    boost::asio::ip::tcp::socket socket;
    boost::asio::ip::tcp::endpoint peer;
    TrackedConnection tracked;
};

// How a session ended. `idle`: its client sent nothing for a while (read_request's went_idle()).
// The session's buffers and coroutine frames are freed; the server holds the bare Connection
// until the socket is readable, at no syscall (net/edge_read.hpp), and then starts the session
// again. A held connection whose idle timeout passes, or that is open at a drain, is closed.
// Busy keep-alive clients keep their session from request to request.
enum class SessionEnd { closed, idle };

// At most `max` client connections at once over all workers (0: no limit). A connection past it
// gets `refusal` (complete HTTP bytes, best effort, never waited for) and is closed at once.
struct ConnectionLimit {
    std::size_t max = 0;
    std::string refusal;
};

class SpareDescriptor;

// A TCP server over a WorkerPool: one SO_REUSEPORT listener per worker, each connection served
// by `session` on the worker that accepted it, deadlines enforced per worker, graceful drain.
class Server {
  public:
    using Session = std::function<boost::asio::awaitable<SessionEnd>(Connection&, WorkerContext&)>;

    // Binds every worker's listener (throws std::runtime_error when it cannot). With port 0 the
    // kernel picks one port and all workers share it.
    Server(WorkerPool& pool, const boost::asio::ip::tcp::endpoint& endpoint, Session session,
           ConnectionLimit limit = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    const boost::asio::ip::tcp::endpoint& local_endpoint() const { return local_endpoint_; }
    // Client connections open right now, over all workers.
    std::size_t open_connections() const { return open_.load(std::memory_order_relaxed); }
    // Connections refused so far for passing the limit.
    std::uint64_t refused_connections() const { return refused_.load(std::memory_order_relaxed); }
    // Connections answered 503 and closed so far because the process was out of descriptors.
    std::uint64_t refused_for_descriptors() const {
        return refused_no_descriptor_.load(std::memory_order_relaxed);
    }
    // Whether the last accept failed for lack of descriptors (and none has worked since).
    bool out_of_descriptors() const { return in_pressure_.load(std::memory_order_relaxed); }

    // Spawns the accept loops and deadline tickers; they run once the pool runs.
    void start();
    // Thread-safe. Closes the listeners, closes idle connections, lets busy ones finish their
    // current request, and cuts whatever is left after `grace`. The workers' io_contexts then run
    // out of this server's work.
    void drain(Clock::duration grace);

  private:
    struct Worker;

    void accept(boost::asio::ip::tcp::socket socket, const boost::asio::ip::tcp::endpoint& peer,
                WorkerContext& context);
    void serve(std::unique_ptr<Connection> connection, WorkerContext& context);
    void hold(std::unique_ptr<Connection> connection, WorkerContext& context);
    void close(std::unique_ptr<Connection> connection);
    void refuse_waiting(Worker& worker);
    bool refuse_backlog(SpareDescriptor& spare, int listener);
    void leave_pressure();
    void sync_accept_deferral();

    Session session_;
    ConnectionLimit limit_;
    std::atomic<std::size_t> open_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> refused_no_descriptor_{0};
    std::atomic<bool> in_pressure_{false};
    std::mutex defer_mutex_;  // keeps the listeners' TCP_DEFER_ACCEPT in step with in_pressure_
    bool defer_failure_logged_ = false;  // under defer_mutex_
    std::atomic<bool> draining_{false};
    boost::asio::ip::tcp::endpoint local_endpoint_;
    std::vector<std::unique_ptr<Worker>> workers_;
    // The listeners' descriptors, read by every worker when out of descriptors (never changed, so
    // no worker touches another's acceptor object).
    std::vector<int> listener_fds_;
};

}  // namespace ringlb::net
