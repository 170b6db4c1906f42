#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "dataplane/answer_relay.hpp"
#include "dataplane/route_speed.hpp"
#include "dataplane/upstream_batcher.hpp"
#include "dataplane/upstream_pool.hpp"
#include "net/request_parser.hpp"
#include "net/response_parser.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// The most replicas one request is sent to (the --failover-attempts limit).
inline constexpr std::size_t kMaxFailoverAttempts = 16;

// One worker's data-plane state: its view of the routing snapshots, its connection pools, its
// batches of requests and its random numbers. Touched only by that worker's thread. Does not
// move: its batcher's posted work points at it.
class ProxyWorker {
  public:
    ProxyWorker(const SnapshotStore& store, const ProxyOptions& options, std::uint64_t seed)
        : snapshots(store), pool(options.max_idle_per_replica), rng(seed), options_(options) {}
    ProxyWorker(const ProxyWorker&) = delete;
    ProxyWorker& operator=(const ProxyWorker&) = delete;
    ProxyWorker(ProxyWorker&&) = delete;
    ProxyWorker& operator=(ProxyWorker&&) = delete;
    ~ProxyWorker() = default;

    // The worker's batcher, built on first use: the worker's context exists only once it runs.
    UpstreamBatcher& batcher(net::WorkerContext& worker) {
        if (!batcher_) {
            batcher_.emplace(worker, pool, options_, options_.upstream_batch);
        }
        return *batcher_;
    }

    SnapshotReader snapshots;
    UpstreamPool pool;
    std::mt19937_64 rng;
    std::optional<std::uint64_t> pooled_version;  // the snapshot version `pool` was last pruned for
    RouteSpeeds route_speeds;                     // which routes may be batched, per replica

  private:
    const ProxyOptions& options_;
    std::optional<UpstreamBatcher> batcher_;
};

// Every worker's ProxyWorker, indexed by worker, each built in place and never moved.
class ProxyWorkers {
  public:
    void reserve(std::size_t count) { workers_.reserve(count); }
    template <class... Args>
    ProxyWorker& emplace_back(Args&&... args) {
        return *workers_.emplace_back(std::make_unique<ProxyWorker>(std::forward<Args>(args)...));
    }
    ProxyWorker& operator[](std::size_t index) { return *workers_[index]; }
    std::size_t size() const { return workers_.size(); }

  private:
    std::vector<std::unique_ptr<ProxyWorker>> workers_;
};

// One client connection's buffers for forwarding, reused from request to request. Never shared
// between connections: a request's bytes are being written while other connections of the same
// worker run.
struct ProxyBuffers {
    std::string upstream_request;
    net::ResponseHead answer;
};

// Forwards client requests to the replica the hash table names for their key, skipping replicas
// that are down and failing over to the next distinct replica when one cannot be reached.
class Proxy {
  public:
    explicit Proxy(const BalancerOptions& options) : options_(options) {}

    // Forwards `request` and answers the client: the replica's answer (a 404 becomes the
    // contract's 400), or ringlb's own JSON 502/503/504. A buffered answer is appended whole to
    // `out`; a streamed one (net::body_mode) is written to `client` as it arrives, and `out` is
    // left empty. Returns whether the client connection may stay open (at most `keep_alive`).
    boost::asio::awaitable<bool> forward(net::WorkerContext& worker, ProxyWorker& state,
                                         ProxyBuffers& buffers, const net::RequestHead& request,
                                         net::Connection& client, std::string_view client_ip,
                                         bool keep_alive, std::string& out) const;

  private:
    // Sends `upstream` to `backend` (in a batch when `batch`: it may be sent again and has no
    // streamed body), counts the result and notes how quickly `route` answered.
    boost::asio::awaitable<ExchangeResult> exchange_with(net::WorkerContext& worker,
                                                         ProxyWorker& state, Backend& backend,
                                                         UpstreamRequest& upstream, bool batch,
                                                         std::uint64_t route) const;

    // Writes a streamed answer's head and then its body to the client; whether the client
    // connection may stay open.
    boost::asio::awaitable<bool> relay(net::WorkerContext& worker, ProxyWorker& state,
                                       ProxyBuffers& buffers, const net::RequestHead& request,
                                       net::Connection& client, bool keep_alive,
                                       AnswerStream stream, std::string& out) const;

    const BalancerOptions& options_;
};

// Whether a request may be sent again to another replica after the first one may have seen it
// (RFC 9110 §9.2.2).
bool is_idempotent(boost::beast::http::verb method);

}  // namespace ringlb::balancer
