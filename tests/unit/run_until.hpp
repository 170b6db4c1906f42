#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>

namespace ringlb::test_support {

// Runs `io` in short slices until `done()` holds or `limit` has passed; returns done(). For unit
// tests whose operations run on real sockets and finish when the kernel says so.
template <class Done>
bool run_until(boost::asio::io_context& io, Done done,
               std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) {
        io.run_for(std::chrono::milliseconds(5));
        io.restart();
    }
    return done();
}

}  // namespace ringlb::test_support
