#pragma once

#include <cstdint>

#include "config/health_thresholds.hpp"

namespace ringlb::balancer {

// The health of one replica as a pure state machine (no clock, no I/O): the prober feeds it
// probe outcomes and acts on the transitions it reports. A new replica starts `unknown`: it is
// not routed to until it has passed `rise` probes.
class HealthState {
  public:
    enum class Status { unknown, up, down };

    explicit HealthState(HealthThresholds thresholds) : thresholds_(thresholds) {}

    // Each returns true when the status changed.
    bool on_success();
    bool on_failure();
    // A failure seen outside the prober (the process exited, the proxy could not connect):
    // down at once, without waiting for `fall` probes.
    bool on_fatal();

    Status status() const { return status_; }
    bool is_up() const { return status_ == Status::up; }

  private:
    HealthThresholds thresholds_;
    Status status_ = Status::unknown;
    std::uint32_t successes_ = 0;
    std::uint32_t failures_ = 0;
};

}  // namespace ringlb::balancer
