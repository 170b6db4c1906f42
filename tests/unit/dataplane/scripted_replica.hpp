#pragma once

// The scripted replica and the fixture of the upstream exchange tests: a loopback socket that
// answers, closes, cuts, garbles or withholds answers as each test scripts it.

#include <array>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "dataplane/upstream_batcher.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "run_until.hpp"

namespace ringlb::balancer::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;  // NOLINT: scoped to this test namespace
using tcp = asio::ip::tcp;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// How the scripted replica behaves on each connection it accepts.
struct Script {
    std::size_t answers_per_connection = std::numeric_limits<std::size_t>::max();
    bool say_close = false;              // the last answer on a connection says "Connection: close"
    bool silent = false;                 // reads requests, never answers
    std::size_t silent_connections = 0;  // the first this many connections are silent
    bool trailing_bytes = false;         // sends bytes that belong to no answer after the answers
    bool close_at_once = false;          // closes every connection before reading anything
    std::optional<std::size_t>
        garbage_answer;  // this answer (counted over all connections) is malformed
    // Sent instead of the first answer, together with the FIN: written and closed at once, so
    // the bytes and the end of file reach ringlb's socket before it reads either.
    std::optional<std::string> last_words;
};

// A replica on a real loopback socket, run by the test's io_context. It answers "GET /x" with
// a 200 whose body is "/x", writes all answers to the requests of one read in one write, and
// records what it saw.
class ScriptedReplica {
  public:
    ScriptedReplica(asio::io_context& io, Script script)
        : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), script_(script) {
        asio::co_spawn(io, accept_loop(), asio::detached);
    }

    tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
    std::size_t connections = 0;
    std::vector<std::size_t> requests_per_read;  // for reads that held at least one request

  private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
            if (ec) {
                co_return;
            }
            ++connections;
            const bool silent = script_.silent || connections <= script_.silent_connections;
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket), silent),
                           asio::detached);
        }
    }

    asio::awaitable<void> serve(tcp::socket socket, bool silent) {
        if (script_.close_at_once) {
            co_return;
        }
        std::string pending;
        std::size_t answered_here = 0;
        std::array<char, 65536> chunk{};
        for (;;) {
            auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kUseTuple);
            if (ec) {
                co_return;
            }
            pending.append(chunk.data(), n);
            std::string out;
            std::size_t requests = 0;
            bool closing = false;
            for (auto end = pending.find("\r\n\r\n"); end != std::string::npos && !closing;
                 end = pending.find("\r\n\r\n")) {
                const std::string target = pending.substr(4, pending.find(' ', 4) - 4);
                pending.erase(0, end + 4);
                ++requests;
                if (silent) {
                    continue;
                }
                ++answered_here;
                closing = answered_here == script_.answers_per_connection;
                if (script_.garbage_answer && *script_.garbage_answer == answers_++) {
                    out += "HTTP/1.1 200 OK\r\nContent-Length: nonsense\r\n\r\n";
                    closing = true;
                    continue;
                }
                out +=
                    "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(target.size()) + "\r\n";
                out += closing && script_.say_close ? "Connection: close\r\n\r\n" : "\r\n";
                out += target;
            }
            if (requests > 0) {
                requests_per_read.push_back(requests);
            }
            if (requests > 0 && script_.last_words) {
                boost::system::error_code ignored;
                asio::write(socket, asio::buffer(*script_.last_words), ignored);
                socket.close(ignored);
                co_return;
            }
            if (!out.empty() && script_.trailing_bytes) {
                out += "junk";
            }
            if (!out.empty()) {
                co_await asio::async_write(socket, asio::buffer(out), kUseTuple);
            }
            if (closing) {
                co_return;
            }
        }
    }

    tcp::acceptor acceptor_;
    Script script_;
    std::size_t answers_ = 0;
};

// A request for the replica and its own answer buffer.
struct Sent {
    explicit Sent(const std::string& path)
        : bytes("GET " + path + " HTTP/1.1\r\nHost: r\r\n\r\n"), request(bytes, false, answer) {}
    std::string bytes;
    net::ResponseHead answer;
    UpstreamRequest request;
    bool done = false;
};

class UpstreamExchangeTest : public ::testing::Test {
  protected:
    UpstreamExchangeTest() : worker(io, 0, 10ms), pool(8) {
        options.connect_timeout = 1000ms;
        options.response_timeout = 1000ms;
        asio::co_spawn(io, worker.connections.run_ticker(), asio::detached);
    }

    void make(std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            sent.push_back(std::make_unique<Sent>("/r" + std::to_string(i)));
        }
    }

    // Sends every request in `sent` with one exchange_all.
    void exchange_together(const ScriptedReplica& replica) {
        std::vector<UpstreamRequest*> requests;
        for (auto& s : sent) {
            requests.push_back(&s->request);
        }
        bool finished = false;
        std::vector<std::size_t> reported;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                co_await exchange_all(worker, pool, {7, replica.endpoint()}, requests, options,
                                      [&](std::size_t i) { reported.push_back(i); });
                finished = true;
            },
            asio::detached);
        ASSERT_TRUE(run_until([&] { return finished; }));
        ASSERT_EQ(reported.size(), sent.size());
        for (std::size_t i = 0; i < reported.size(); ++i) {
            EXPECT_EQ(reported[i], i) << "results are reported in order";
        }
    }

    // Sends every request in `sent` through the batcher, each from its own coroutine started in
    // the same turn, as sessions do.
    void exchange_through(UpstreamBatcher& batcher, const ScriptedReplica& replica) {
        for (auto& s : sent) {
            asio::co_spawn(
                io,
                [&, one = s.get()]() -> asio::awaitable<void> {
                    co_await batcher.exchange({7, replica.endpoint()}, one->request);
                    one->done = true;
                },
                asio::detached);
        }
        ASSERT_TRUE(run_until([&] {
            for (auto& s : sent) {
                if (!s->done) {
                    return false;
                }
            }
            return true;
        }));
    }

    void expect_answered(std::size_t i) {
        ASSERT_TRUE(sent[i]->request.has_result()) << "request " << i;
        EXPECT_EQ(sent[i]->request.result().outcome, ExchangeOutcome::answered) << "request " << i;
        EXPECT_EQ(sent[i]->answer.status, 200U);
        EXPECT_EQ(sent[i]->answer.body, "/r" + std::to_string(i));
    }

    template <class Done>
    bool run_until(Done done) {
        return test_support::run_until(io, done);
    }

    void expect_all_answered() {
        for (std::size_t i = 0; i < sent.size(); ++i) {
            expect_answered(i);
        }
    }

    asio::io_context io;
    net::WorkerContext worker;
    UpstreamPool pool;
    ProxyOptions options;
    std::vector<std::unique_ptr<Sent>> sent;
};

}  // namespace ringlb::balancer::test
