#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace ringlb::drivers {

// Cuts a replica's output into lines as it arrives in pieces. A line longer than `max_line`
// bytes is passed on in parts of max_line bytes, so that a replica that never writes a newline
// cannot make ringlb hold its output. Carriage returns before a newline are dropped.
class LineSplitter {
  public:
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    // The complete lines in what has arrived so far, this piece included.
    std::vector<std::string> feed(std::string_view piece);
    // What is left once the output has ended (a last line without a newline), if anything.
    std::vector<std::string> finish();

  private:
    std::size_t max_line_;
    std::string partial_;
};

// Logs every line the replica `name` writes to `output` (its stdout and stderr) as a
// `replica_output` event, until the replica closes it.
boost::asio::awaitable<void> log_replica_output(boost::asio::posix::stream_descriptor output,
                                                std::string name);

}  // namespace ringlb::drivers
