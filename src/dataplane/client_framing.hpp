#pragma once

#include <cstddef>
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

// The shortest rest of a body worth a pipe: below it, one read and one write cost less.
inline constexpr std::uint64_t kMinSplice = std::uint64_t{64} * 1024;

// Whether the rest of a streamed answer's body goes from the replica's socket to the client's
// through a pipe (splice(2), never entering ringlb's memory): only when the client gets the
// body's bytes as they are (`content_length` framing), the bytes still to come are known
// (`remaining`, at least kMinSplice) and none of them already sits read in ringlb's buffer
// (`unparsed`).
bool splice_fits(ClientFraming framing, const std::optional<std::uint64_t>& remaining,
                 std::size_t unparsed);

}  // namespace ringlb::balancer
