#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace ringlb::balancer {

// A counter with one writer (a worker thread) and any number of readers (/metrics). Relaxed
// load + store instead of an atomic add: with one writer nothing is lost, and it costs a plain
// increment instead of a locked instruction on the request path.
class WorkerCounter {
  public:
    void add(std::uint64_t n) {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

// Upper bounds (seconds) of the request latency histogram's buckets, as Prometheus "le" labels.
inline constexpr std::array<double, 12> kLatencyBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

// One worker's counts for one replica; a cache line of its own so workers never share one.
struct alignas(64) ReplicaCounters {
    WorkerCounter requests;        // answers passed on from this replica
    WorkerCounter failures;        // attempts that got no usable answer (connect, reset, timeout)
    WorkerCounter latency_micros;  // sum of request latencies
    std::array<WorkerCounter, kLatencyBuckets.size() + 1> latency;  // the last is +Inf

    void observe(std::uint64_t micros);
};

// One running replica as the data plane sees it: where it is, whether to route to it, and its
// counters. Shared between the control plane, which owns its lifecycle, and every worker. A
// respawned replica is a new Backend (new name, new address, same server ID).
class Backend {
  public:
    Backend(std::string name, std::uint32_t server_id, boost::asio::ip::tcp::endpoint endpoint,
            std::size_t workers);

    const std::string& name() const { return name_; }
    std::uint32_t server_id() const { return server_id_; }
    const boost::asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
    // Unique for the life of the process: workers key their connection pools by it.
    std::uint64_t uid() const { return uid_; }

    // Routable. The control plane sets it from the heartbeats; a worker clears it at once when a
    // connection to the replica fails, and the next passed heartbeat sets it again.
    bool is_up() const { return up_.load(std::memory_order_acquire); }
    void set_up(bool up) { up_.store(up, std::memory_order_release); }

    // Marked down by its health checker: it will not serve again (a replacement is a new Backend),
    // so the data plane cuts the exchanges still waiting on it (UpstreamTarget::abandoned).
    void abandon() {
        set_up(false);
        abandoned_.store(true, std::memory_order_release);
    }
    const std::atomic<bool>& abandoned() const { return abandoned_; }

    ReplicaCounters& counters(std::size_t worker) { return counters_[worker]; }
    const std::vector<ReplicaCounters>& all_counters() const { return counters_; }

    // Requests being served right now, for bounded loads. Shared by all workers.
    std::atomic<std::uint32_t>& in_flight() { return in_flight_; }

  private:
    std::string name_;
    std::uint32_t server_id_;
    boost::asio::ip::tcp::endpoint endpoint_;
    std::uint64_t uid_;
    std::atomic<bool> up_{false};
    std::atomic<bool> abandoned_{false};
    std::atomic<std::uint32_t> in_flight_{0};
    std::vector<ReplicaCounters> counters_;
};

}  // namespace ringlb::balancer
