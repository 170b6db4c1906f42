#pragma once

namespace ringlb::balancer {

// What is known about whether a replica keeps its connections open after an answer.
enum class Persistence {
    unknown,  // nothing yet: no answer, or a reused connection closed (a limit on requests per
              // connection, not a replica that closes every connection)
    keeps,    // its first answer on a connection kept the connection open
    closes,   // the first answer on a new connection closed it (HTTP/1.0, "Connection: close")
};

}  // namespace ringlb::balancer
