// libFuzzer target: any bytes as what a replica answers, delivered in pieces the first input byte
// chooses, read as ringlb's relay reads a streamed answer: the response parser, then the decisions
// taken on its head (whether the body streams, its framing for the client, whether it may be
// spliced), then the body's pieces, each re-framed as a chunk for the client as the relay does.
// Every input must end in an answer or an error, never a crash, a hang, a body longer than its
// length, or a chunk size line that does not read back as the piece's size.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "dataplane/client_framing.hpp"
#include "net/body_mode.hpp"
#include "net/chunk_line.hpp"
#include "net/response_parser.hpp"

namespace {

using namespace ringlb;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

// The relay's chunked re-framing of one piece: its size line must read back as its size.
void check_chunk_line(std::size_t size) {
    net::ChunkLine line{};
    const std::string_view text = net::chunk_size_line(size, line);
    check(text.size() >= 3 && text.ends_with("\r\n"));
    std::size_t parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 2, parsed, 16);
    check(ec == std::errc{} && end == text.data() + text.size() - 2 && parsed == size);
}

struct Relayed {
    bool head_seen = false;
    std::optional<std::uint64_t> length;
    std::uint64_t body = 0;
};

void on_head(const net::ResponseParser& parser, const net::ResponseHead& head, unsigned minor,
             Relayed& relayed) {
    relayed.head_seen = true;
    const auto length = parser.content_length();
    relayed.length = length ? std::optional<std::uint64_t>(*length) : std::nullopt;
    const auto mode = net::body_mode({parser.is_done(), relayed.length});
    const auto framing = balancer::client_framing(relayed.length, minor);
    check(relayed.length ? framing == balancer::ClientFraming::content_length
                         : framing != balancer::ClientFraming::content_length);
    if (mode == net::BodyMode::buffered && !parser.is_done()) {
        check(relayed.length && *relayed.length <= net::kMaxBufferedBody);
    }
    const auto remaining = parser.content_length_remaining();
    const std::size_t unparsed = 0;
    if (balancer::splice_fits(framing,
                              remaining ? std::optional<std::uint64_t>(*remaining) : std::nullopt,
                              unparsed)) {
        check(framing == balancer::ClientFraming::content_length && remaining &&
              *remaining >= balancer::kMinSplice);
    }
    check(head.status >= 100 && head.status <= 999);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::size_t step = 1 + data[0] % 64;
    const unsigned minor = data[1] % 2;
    const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

    net::ResponseHead head;
    net::ResponseParser parser(head);
    parser.header_limit(8192);
    parser.eager(true);
    std::string pending;
    Relayed relayed;
    boost::system::error_code ec;
    for (std::size_t pos = 0; pos < input.size() && !parser.is_done() && !ec; pos += step) {
        pending.append(input.substr(pos, step));
        const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
        check(used <= pending.size());
        pending.erase(0, used);
        if (ec == boost::beast::http::error::need_more) {
            ec = {};
        }
        if (!relayed.head_seen && parser.is_header_done()) {
            on_head(parser, head, minor, relayed);
        }
        if (relayed.head_seen && !head.body.empty()) {
            check_chunk_line(head.body.size());
            relayed.body += head.body.size();
            head.body.clear();  // written to the client: the relay holds one piece at a time
        }
        if (relayed.length) {
            check(relayed.body <= *relayed.length);
        }
        if (pending.size() >= net::kMaxUnparsed) {
            return 0;  // the relay cuts such a stream
        }
    }
    // A 1xx, 204 or 304 answer has no body whatever its Content-Length says (RFC 9112 §6.3).
    const bool has_body = head.status >= 200 && head.status != 204 && head.status != 304;
    if (!ec && parser.is_done() && relayed.length && has_body) {
        check(relayed.body == *relayed.length);
    }
    return 0;
}
