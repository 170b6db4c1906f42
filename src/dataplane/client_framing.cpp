#include "dataplane/client_framing.hpp"

namespace ringlb::balancer {

ClientFraming client_framing(const std::optional<std::uint64_t>& content_length,
                             unsigned client_minor) {
    if (content_length) {
        return ClientFraming::content_length;
    }
    return client_minor >= 1 ? ClientFraming::chunked : ClientFraming::close;
}

}  // namespace ringlb::balancer
