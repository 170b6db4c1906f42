#include "controlplane/health_state.hpp"

namespace ringlb::balancer {

bool HealthState::on_success() {
    failures_ = 0;
    ++successes_;
    if (status_ != Status::up && successes_ >= thresholds_.rise) {
        status_ = Status::up;
        return true;
    }
    return false;
}

bool HealthState::on_failure() {
    successes_ = 0;
    ++failures_;
    // A replica that never came up is judged by the same count, so a dead start is noticed too.
    if (status_ != Status::down && failures_ >= thresholds_.fall) {
        status_ = Status::down;
        return true;
    }
    return false;
}

bool HealthState::on_fatal() {
    successes_ = 0;
    failures_ = thresholds_.fall;
    if (status_ != Status::down) {
        status_ = Status::down;
        return true;
    }
    return false;
}

}  // namespace ringlb::balancer
