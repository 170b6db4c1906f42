#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <string_view>

namespace ringlb::net {

// Room for the size line of any chunk: 16 hex digits and CRLF.
using ChunkLine = std::array<char, 24>;

// The size line that starts a chunk of `size` bytes ("1a2b\r\n"), written into `line`.
inline std::string_view chunk_size_line(std::size_t size, ChunkLine& line) {
    auto [end, ec] = std::to_chars(line.data(), line.data() + line.size() - 2, size, 16);
    *end++ = '\r';
    *end++ = '\n';
    return {line.data(), static_cast<std::size_t>(end - line.data())};
}

}  // namespace ringlb::net
