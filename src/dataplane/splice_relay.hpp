#pragma once

#include <cstddef>
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "config/balancer_options.hpp"
#include "net/connection_set.hpp"
#include "net/server.hpp"

namespace ringlb::balancer {

// The most pipes the data plane may hold open at once, over all workers (two descriptors each;
// config/descriptor_budget.hpp says how many are left over). 0, the default, turns splicing off.
// Set once at start, before the workers run.
void set_pipe_budget(std::size_t pipes);

// How a spliced body ended. `no_pipe`: no pipe could be had (the budget is spent, or the kernel
// refused one); nothing was moved and the caller relays the body itself.
enum class SpliceEnd { whole, cut, no_pipe };

// Moves the next `length` bytes of `replica` to the client's socket through a pipe with
// splice(2): the body's bytes stay in the kernel and never enter ringlb's memory. Back-pressure
// as for a relayed body: the pipe (64 KiB) is refilled only once the client took what it held.
// Each wait, on either side, may last `idle_timeout` (the connections' entries in the worker's
// ConnectionSet enforce it, and a replica marked down cuts it through its entry).
boost::asio::awaitable<SpliceEnd> splice_body(boost::asio::ip::tcp::socket& replica,
                                              net::TrackedConnection& replica_tracked,
                                              net::Connection& client, std::uint64_t length,
                                              Millis idle_timeout);

// Body bytes moved by splice(2), and pipes open now, over all workers; for /metrics. Any thread.
std::uint64_t spliced_bytes();
std::size_t pipes_open();

}  // namespace ringlb::balancer
