#pragma once

#include <string>

#include "controlplane/routing_snapshot.hpp"

namespace ringlb::balancer {

// GET /metrics in Prometheus text format (version 0.0.4): the build (ringlb_build_info), then
// replicas, their health, restarts and share of the hash table, and per replica the requests
// passed on, failed attempts and a latency histogram, summed over workers.
std::string render_metrics(const RoutingSnapshot& snapshot);

}  // namespace ringlb::balancer
