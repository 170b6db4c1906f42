#include "dataplane/route_speed.hpp"

#include <algorithm>

#include <xxhash.h>

namespace ringlb::balancer {

namespace {

// Past this, a count says nothing more; it never wraps.
constexpr std::uint32_t kCountCap = 1U << 20;

}  // namespace

RouteSpeed observe_answer(RouteSpeed speed, const std::optional<Micros>& answered_in,
                          Micros quick) {
    if (!answered_in || *answered_in > quick) {
        return RouteSpeed{0};
    }
    return RouteSpeed{std::min(speed.quick_in_a_row + 1, kCountCap)};
}

Micros quick_limit(Micros floor, Micros typical) {
    return std::max(floor, typical * kSlowFactor);
}

Micros next_typical(Micros typical, Micros answered_in) {
    if (typical.count() == 0) {
        return answered_in;
    }
    const Micros step = typical / 32 + Micros{1};
    if (answered_in > typical) {
        return std::min(typical + step, answered_in);
    }
    return std::max(typical - step, answered_in);
}

bool may_batch(const BatchInputs& in) {
    return in.idempotent && !in.body_streams && !in.upgrade &&
           in.speed.quick_in_a_row >= kQuickInARow;
}

std::uint64_t RouteSpeeds::route_key(std::uint64_t replica_uid, boost::beast::http::verb method,
                                     std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    const std::uint64_t seed = replica_uid * 64 + static_cast<std::uint64_t>(method);
    const std::uint64_t key = XXH3_64bits_withSeed(path.data(), path.size(), seed);
    return key == 0 ? 1 : key;  // 0 marks an empty slot
}

RouteSpeed RouteSpeeds::get(std::uint64_t key) const {
    const RouteSlot& slot = routes_[key % kRouteSlots];
    return slot.key == key ? slot.speed : RouteSpeed{};
}

Micros RouteSpeeds::typical(std::uint64_t replica_uid) const {
    const ReplicaSlot& slot = replicas_[replica_uid % kReplicaSlots];
    return slot.uid == replica_uid ? slot.typical : Micros{0};
}

void RouteSpeeds::observe(std::uint64_t replica_uid, std::uint64_t route,
                          const std::optional<Micros>& answered_in, Micros floor) {
    ReplicaSlot& replica = replicas_[replica_uid % kReplicaSlots];
    if (replica.uid != replica_uid) {
        replica = ReplicaSlot{replica_uid, Micros{0}};
    }
    const Micros limit = quick_limit(floor, replica.typical);
    if (answered_in) {
        replica.typical = next_typical(replica.typical, *answered_in);
    }
    RouteSlot& slot = routes_[route % kRouteSlots];
    if (slot.key != route) {
        slot = RouteSlot{route, RouteSpeed{}};
    }
    slot.speed = observe_answer(slot.speed, answered_in, limit);
}

}  // namespace ringlb::balancer
