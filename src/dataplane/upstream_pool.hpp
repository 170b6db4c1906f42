#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "controlplane/routing_snapshot.hpp"
#include "dataplane/persistence.hpp"

namespace ringlb::balancer {

// A kept-alive connection to a replica, with the bytes read past the last answer.
// Counts the upstream connections open over all workers, for /metrics: one lives in each
// UpstreamConnection. Any thread.
class UpstreamConnectionCount {
  public:
    UpstreamConnectionCount() { open_.fetch_add(1, std::memory_order_relaxed); }
    ~UpstreamConnectionCount() { open_.fetch_sub(1, std::memory_order_relaxed); }
    UpstreamConnectionCount(const UpstreamConnectionCount&) = delete;
    UpstreamConnectionCount& operator=(const UpstreamConnectionCount&) = delete;
    static std::uint64_t open() { return open_.load(std::memory_order_relaxed); }

  private:
    static inline std::atomic<std::uint64_t> open_{0};
};

struct UpstreamConnection {
    explicit UpstreamConnection(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    UpstreamConnectionCount counted;
    boost::asio::ip::tcp::socket socket;
    boost::beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;
};

// One worker's idle connections to each replica (keyed by Backend::uid), and the read buffers
// they are not using. Only that worker's thread touches it.
//
// An idle connection holds no read buffer: give_back moves its (empty) buffer to a short list of
// spares and take hands one back. A burst of traffic can leave hundreds of connections in the
// pool; without this each would keep its 16 KiB buffer for as long as it stays there. The spares
// let the next exchange reuse a buffer instead of allocating one.
class UpstreamPool {
  public:
    using Clock = std::chrono::steady_clock;

    explicit UpstreamPool(std::size_t max_idle_per_replica) : max_idle_(max_idle_per_replica) {}

    // An idle connection to the replica, most recently used first; null when there is none.
    // Connections idle for longer than kMaxIdleAge are closed instead: the replica may be about
    // to close them itself (ringlb-server's default idle timeout is 60 s), and a request sent
    // into that race fails.
    std::unique_ptr<UpstreamConnection> take(std::uint64_t backend_uid, Clock::time_point now);
    // Keeps a connection for reuse, unless the replica already has max_idle_per_replica. Either
    // way its read buffer, when empty, goes to the spares.
    void give_back(std::uint64_t backend_uid, std::unique_ptr<UpstreamConnection> connection,
                   Clock::time_point now);

    static constexpr Clock::duration kMaxIdleAge = std::chrono::seconds(20);
    // Closes the connections to replicas that are no longer in `snapshot`.
    void keep_only(const RoutingSnapshot& snapshot);

    std::size_t idle_count() const;

    // What this worker last saw of the replica's connections (persistence_seen,
    // dataplane/upstream_decision.hpp): requests are pipelined to it only once it is known to
    // keep them open. `unknown` until its first answer.
    Persistence persistence(std::uint64_t backend_uid) const;
    void note_persistence(std::uint64_t backend_uid, Persistence seen);

    // Gives a connection that has no read buffer a spare one, if there is one.
    void lend_buffer(UpstreamConnection& connection);
    std::size_t spare_buffers() const { return spare_buffers_.size(); }
    // More than this many spare buffers are freed rather than kept.
    static constexpr std::size_t kMaxSpareBuffers = 16;

  private:
    void keep_buffer(UpstreamConnection& connection);

    std::size_t max_idle_;
    std::vector<boost::beast::flat_buffer> spare_buffers_;
    std::unordered_map<std::uint64_t, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
    std::unordered_map<std::uint64_t, Persistence> persistence_;  // what was learned, by replica
};

}  // namespace ringlb::balancer
