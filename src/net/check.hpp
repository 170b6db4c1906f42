#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace ringlb::net {

// For what cannot happen: prints `what` and aborts, so a broken invariant is seen where it broke
// instead of being caught or turned into a default value.
[[noreturn]] inline void unreachable(std::string_view what) {
    std::fprintf(stderr, "ringlb: can't happen: %.*s\n", static_cast<int>(what.size()),
                 what.data());
    std::fflush(stderr);
    std::abort();
}

// Aborts with `what` unless `condition` holds.
inline void check(bool condition, std::string_view what) {
    if (!condition) {
        unreachable(what);
    }
}

// A co_spawn completion for coroutines that report their errors as values: a throw that reaches
// it is a bug, and aborts with its message.
struct AbortOnThrow {
    std::string_view what;
    void operator()(const std::exception_ptr& failure) const {
        if (!failure) {
            return;
        }
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ringlb: %.*s threw: %s\n", static_cast<int>(what.size()),
                         what.data(), e.what());
        } catch (...) {
            std::fprintf(stderr, "ringlb: %.*s threw\n", static_cast<int>(what.size()),
                         what.data());
        }
        unreachable("an exception on a path that reports errors as values");
    }
};

}  // namespace ringlb::net
