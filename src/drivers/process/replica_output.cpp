#include "drivers/process/replica_output.hpp"

#include <array>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"

namespace ringlb::drivers {

namespace {

// Longest line logged as one event.
constexpr std::size_t kMaxLine = 4096;

std::string without_carriage_return(std::string line) {
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

std::vector<std::string> LineSplitter::feed(std::string_view piece) {
    std::vector<std::string> lines;
    for (const char c : piece) {
        if (c == '\n') {
            lines.push_back(without_carriage_return(std::exchange(partial_, {})));
            continue;
        }
        // Full: what comes next starts a new part, unless it is the carriage return of a CRLF.
        if (partial_.size() >= max_line_ && c != '\r') {
            lines.push_back(std::exchange(partial_, {}));
        }
        partial_ += c;
    }
    return lines;
}

std::vector<std::string> LineSplitter::finish() {
    if (partial_.empty()) {
        return {};
    }
    return {without_carriage_return(std::exchange(partial_, {}))};
}

boost::asio::awaitable<void> log_replica_output(boost::asio::posix::stream_descriptor output,
                                                std::string name) {
    LineSplitter splitter(kMaxLine);
    std::array<char, 4096> buffer{};
    const auto log_lines = [&name](const std::vector<std::string>& lines) {
        for (const std::string& line : lines) {
            log::info("replica_output", {{"name", name}, {"line", line}});
        }
    };
    for (;;) {
        const auto [ec, n] = co_await output.async_read_some(
            boost::asio::buffer(buffer), boost::asio::as_tuple(boost::asio::use_awaitable));
        if (n > 0) {
            log_lines(splitter.feed(std::string_view(buffer.data(), n)));
        }
        if (ec) {
            break;  // end of output (the replica and everything it started have closed it)
        }
    }
    log_lines(splitter.finish());
}

}  // namespace ringlb::drivers
