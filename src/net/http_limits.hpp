#pragma once

#include <chrono>
#include <cstdint>

namespace ringlb::net {

// The limits a server enforces on its clients. Every one is a command-line setting.
struct HttpLimits {
    // How long a keep-alive connection may sit between requests.
    std::chrono::milliseconds idle_timeout{60'000};
    // How long a client has to send a whole request once it started, and to take the answer:
    // the defence against slow clients (slowloris).
    std::chrono::milliseconds request_timeout{10'000};
    // Request line plus headers.
    std::uint32_t max_header_bytes = 16 * 1024;
    std::uint32_t max_header_fields = 100;
    std::uint64_t max_body_bytes = 1024ULL * 1024;  // 0: no limit
    // A proxy's setting: a request body that streams (body_mode) is not read with the head but
    // left to the answer (RequestHead::pending_body), which passes it on piece by piece.
    bool stream_bodies = false;
    // On SIGTERM, how long in-flight requests get to finish before their connections are cut.
    std::chrono::milliseconds drain_timeout{10'000};
};

}  // namespace ringlb::net
