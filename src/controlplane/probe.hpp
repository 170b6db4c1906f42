#pragma once

#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/backend.hpp"
#include "net/http_probe.hpp"

namespace ringlb::balancer {

// What one heartbeat probe says about a replica. A local failure says nothing about it: the
// probe could not even be attempted (ringlb is out of descriptors or memory), so health stays as
// it was instead of a healthy replica being taken down for ringlb's own trouble.
enum class ProbeVerdict { passed, failed, local_failure };

struct ProbeOutcome {
    ProbeVerdict verdict = ProbeVerdict::failed;
    std::string detail;  // why it failed, for the replica_down line; empty when passed
};

// The verdict on one HTTP probe: passed on a 2xx, local failure per net::is_local_resource_error
// (this host's limits, not the replica), else
// failed (the replica answered wrong, refused, reset, timed out).
ProbeOutcome judge_probe(const net::ProbeResult& result);

// Probes one replica once. Injected into the health checker and the reconciler.
using ProbeFunction = std::function<boost::asio::awaitable<ProbeOutcome>(const Backend& backend)>;

// GET options.path on a fresh connection to the replica, within options.timeout.
ProbeFunction http_probe(const HealthOptions& options);

}  // namespace ringlb::balancer
