#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace ringlb::balancer {

// Which requests may wait behind others in a pipelined batch (dataplane/upstream_batcher.hpp).
//
// A request batched behind another waits for the replica to answer that one first: behind a
// slow answer, quick requests become slow ones (head-of-line blocking). So a request joins a
// batch only when its route (method and path, without the query) on that replica has answered
// the last kQuickInARow requests each quickly: within kSlowFactor times the replica's typical
// answer time (the median of all its routes' answers, waiting in the replica's queue included, so
// that a busy replica's routes are not all taken for slow ones), or within --upstream-batch-quick,
// whichever is longer. A route not seen yet, seen slow or seen failing goes alone, on a connection
// of its own, until it has shown itself quick again. Quick routes batch with each other only, so
// nothing quick waits behind something much slower than itself.

using Micros = std::chrono::microseconds;

inline constexpr std::uint32_t kQuickInARow = 32;
inline constexpr std::int64_t kSlowFactor = 4;

// The longest answer time that still counts as quick, from --upstream-batch-quick (`floor`) and
// the replica's typical answer time.
Micros quick_limit(Micros floor, Micros typical);

// The replica's typical answer time after one more answer: a running estimate of the median that
// moves a 32nd of the way up or down with each answer, so one slow answer moves it little.
Micros next_typical(Micros typical, Micros answered_in);

// What is known of one route on one replica.
struct RouteSpeed {
    std::uint32_t quick_in_a_row = 0;  // answers within the quick limit since the last that was not
};

// The route's speed after one more exchange: `answered_in` is the time from the request's send
// to its answer's head, or nullopt when there was no answer (failed, timed out).
RouteSpeed observe_answer(RouteSpeed speed, const std::optional<Micros>& answered_in, Micros quick);

// What decides whether a request may be pipelined with others.
struct BatchInputs {
    bool idempotent = false;    // may be sent again if the connection ends early
    bool body_streams = false;  // its body is read from the client as it is sent
    bool upgrade = false;       // asks for a protocol switch (a tunnel follows)
    RouteSpeed speed;           // its route on the replica it goes to
};

bool may_batch(const BatchInputs& in);

// One worker's RouteSpeed per (replica, route), and typical answer time per replica, in fixed
// tables: a route or replica whose slot another takes is forgotten (a route then goes alone until
// quick again). Touched by its worker's thread only.
class RouteSpeeds {
  public:
    static std::uint64_t route_key(std::uint64_t replica_uid, boost::beast::http::verb method,
                                   std::string_view target);

    RouteSpeed get(std::uint64_t key) const;
    // One more exchange of `route` on the replica `replica_uid`; `floor`: --upstream-batch-quick.
    void observe(std::uint64_t replica_uid, std::uint64_t route,
                 const std::optional<Micros>& answered_in, Micros floor);
    // The replica's typical answer time so far (0 before its first answer).
    Micros typical(std::uint64_t replica_uid) const;

  private:
    static constexpr std::size_t kRouteSlots = 1024;
    static constexpr std::size_t kReplicaSlots = 256;
    struct RouteSlot {
        std::uint64_t key = 0;
        RouteSpeed speed;
    };
    struct ReplicaSlot {
        std::uint64_t uid = 0;
        Micros typical{0};
    };
    std::array<RouteSlot, kRouteSlots> routes_{};
    std::array<ReplicaSlot, kReplicaSlots> replicas_{};
};

}  // namespace ringlb::balancer
