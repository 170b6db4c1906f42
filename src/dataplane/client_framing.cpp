#include "dataplane/client_framing.hpp"

namespace ringlb::balancer {

ClientFraming client_framing(const std::optional<std::uint64_t>& content_length,
                             unsigned client_minor) {
    if (content_length) {
        return ClientFraming::content_length;
    }
    return client_minor >= 1 ? ClientFraming::chunked : ClientFraming::close;
}

bool splice_fits(ClientFraming framing, const std::optional<std::uint64_t>& remaining,
                 std::size_t unparsed) {
    return framing == ClientFraming::content_length && remaining && *remaining >= kMinSplice &&
           unparsed == 0;
}

}  // namespace ringlb::balancer
