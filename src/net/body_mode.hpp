#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ringlb::net {

// How much of a message body ringlb holds before passing any of it on, for requests and answers
// alike. A body known to be small is read whole and passed on in one piece, so small requests and
// the pipelined batches keep their speed; every other body streams: it is passed on piece by piece
// as it arrives, through buffers of a fixed size, whatever its length.
enum class BodyMode {
    buffered,  // read whole, then passed on
    stream,    // passed on as it arrives
};

// The largest body read whole (a Content-Length at most this, or a message whose every byte is
// already read). Above it a body streams.
inline constexpr std::uint64_t kMaxBufferedBody = std::uint64_t{64} * 1024;

// The most bytes of a streamed body read and not yet taken by the parser: a chunk's size line
// with its extensions, or the trailers, cut short. Past it the stream fails instead of buffering
// whatever a sender makes up (the parser sets no limit on those).
inline constexpr std::size_t kMaxUnparsed = std::size_t{32} * 1024;

// What is known of a message once its head is read.
struct BodyShape {
    bool complete = false;                        // every byte of it is already read
    std::optional<std::uint64_t> content_length;  // absent: chunked, or ended by the close
};

// An answer's body streams unless the message is complete already or its length says it is small:
// an answer without a length (an event stream, say) streams from its first byte.
BodyMode body_mode(const BodyShape& shape);

// A request body streams when its length says it is large, or, without a length (chunked), once
// more than kMaxBufferedBody of it has arrived: a small chunked body is gathered and goes to the
// replica with a Content-Length, since some servers (Flask's development server among them) do not
// read chunked request bodies. `received`: the body's bytes read so far.
BodyMode request_body_mode(const std::optional<std::uint64_t>& content_length,
                           std::uint64_t received);

}  // namespace ringlb::net
