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

}  // namespace ringlb::net
