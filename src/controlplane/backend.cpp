#include "controlplane/backend.hpp"

#include <algorithm>
#include <utility>

namespace ringlb::balancer {

namespace {
std::atomic<std::uint64_t> g_next_uid{1};
}  // namespace

void ReplicaCounters::observe(std::uint64_t micros) {
    requests.add(1);
    latency_micros.add(micros);
    const double seconds = static_cast<double>(micros) / 1e6;
    const auto bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
    latency[static_cast<std::size_t>(bucket - kLatencyBuckets.begin())].add(1);
}

Backend::Backend(std::string name, std::uint32_t server_id, boost::asio::ip::tcp::endpoint endpoint,
                 std::size_t workers)
    : name_(std::move(name)),
      server_id_(server_id),
      endpoint_(std::move(endpoint)),
      uid_(g_next_uid.fetch_add(1)),
      counters_(workers) {}

}  // namespace ringlb::balancer
