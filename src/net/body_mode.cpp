#include "net/body_mode.hpp"

namespace ringlb::net {

BodyMode body_mode(const BodyShape& shape) {
    if (shape.complete) {
        return BodyMode::buffered;
    }
    if (shape.content_length && *shape.content_length <= kMaxBufferedBody) {
        return BodyMode::buffered;
    }
    return BodyMode::stream;
}

BodyMode request_body_mode(const std::optional<std::uint64_t>& content_length,
                           std::uint64_t received) {
    const std::uint64_t known = content_length ? *content_length : received;
    return known > kMaxBufferedBody ? BodyMode::stream : BodyMode::buffered;
}

}  // namespace ringlb::net
