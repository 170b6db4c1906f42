#pragma once

#include <cstdint>
#include <optional>

namespace ringlb::balancer {

// How a streamed answer's body is framed for the client.
enum class ClientFraming {
    content_length,  // the replica's length, the body's bytes as they are
    chunked,         // each piece read becomes one chunk (HTTP/1.1 clients)
    close,           // the end of the body is the end of the connection (HTTP/1.0 clients)
};

// The framing of a streamed answer for a client speaking HTTP/1.`client_minor`: the replica's
// Content-Length when it gave one, else chunked for HTTP/1.1 clients, else the close.
ClientFraming client_framing(const std::optional<std::uint64_t>& content_length,
                             unsigned client_minor);

}  // namespace ringlb::balancer
