// libFuzzer target: any bytes as what a client sends to ringlb's port, delivered in pieces the
// first input byte chooses. Runs what the load balancer does with a request before any socket
// is involved: the parser with ringlb's limits, then the key, the admin routing, the admin
// payload checks and the header lookups. Every input must end in a request or an error, never a
// crash, a hang, or a request that breaks the parser's own limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "config/key_policy.hpp"
#include "controlplane/admin_api.hpp"
#include "controlplane/admin_request.hpp"
#include "dataplane/request_key.hpp"
#include "net/header_lines.hpp"
#include "net/request_parser.hpp"

namespace {

using namespace ringlb;

constexpr std::uint32_t kHeaderLimit = 4096;
constexpr std::uint64_t kBodyLimit = 4096;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t step = 1 + data[0] % 64;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

    net::RequestHead head;
    net::RequestParser parser(head, "X-Request-Id", true);
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    parser.eager(true);
    std::string pending;
    boost::system::error_code ec;
    for (std::size_t pos = 0; pos < input.size() && !parser.is_done() && !ec; pos += step) {
        pending.append(input.substr(pos, step));
        const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
        check(used <= pending.size());
        pending.erase(0, used);
        if (ec == boost::beast::http::error::need_more) {
            ec = {};
        }
    }
    if (ec || !parser.is_done()) {
        return 0;
    }
    check(head.body.size() <= kBodyLimit);
    check(head.target.size() + head.forward_headers.size() <= kHeaderLimit * 2);

    std::mt19937_64 rng(1);
    const auto policy = balancer::parse_key_policy("auto");
    const std::string_view path = head.path();
    check(path.size() <= head.target.size() && path.find('?') == std::string_view::npos);
    (void)balancer::request_key(*policy, head.has_key_header ? &head.key_header_value : nullptr,
                                path, "127.0.0.1", rng);
    (void)net::find_header(head.forward_headers, "Authorization");
    if (balancer::AdminApi::is_admin_path(path)) {
        const auto parsed = balancer::parse_change(head.body, balancer::ChangeKind::add);
        if (const auto* error = std::get_if<balancer::AdminError>(&parsed)) {
            check(std::string_view(error->message).starts_with("<Error> "));
        }
    }
    return 0;
}
