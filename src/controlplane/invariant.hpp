#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ringlb::balancer {

// For what cannot happen: says what broke on stderr and aborts, never to be caught or defaulted.
[[noreturn]] inline void fatal(std::string_view what) {
    std::fprintf(stderr, "ringlb: control plane invariant broken: %.*s\n",
                 static_cast<int>(what.size()), what.data());
    std::abort();
}

}  // namespace ringlb::balancer
