#include "net/edge_read.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "run_until.hpp"

namespace ringlb::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connected pair of real loopback sockets: `server` is read with async_read_edge, `client`
// writes to it with blocking calls.
class EdgeReadTest : public ::testing::Test {
  protected:
    EdgeReadTest()
        : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}), server(io), client(io) {
        client.connect(acceptor.local_endpoint());
        acceptor.accept(server);
    }

    struct Result {
        boost::system::error_code ec;
        std::size_t bytes = 0;
    };

    // Starts one read of at most `size` bytes into `data`; its result lands in `result`.
    void start_read(std::size_t size, ReadStart start = ReadStart::after_event) {
        data.assign(size, '\0');
        result.reset();
        async_read_edge(server, asio::buffer(data), start,
                        [this](boost::system::error_code ec, std::size_t n) {
                            result = Result{ec, n};
                        });
    }

    // Starts one readability wait; its result lands in `waited`.
    void start_wait() {
        waited.reset();
        async_wait_edge(server, [this](boost::system::error_code ec) { waited = ec; });
    }

    bool run_until_done(std::chrono::milliseconds limit = 5000ms) {
        return test_support::run_until(
            io, [this] { return result.has_value(); }, limit);
    }
    bool run_until_waited() {
        return test_support::run_until(io, [this] { return waited.has_value(); });
    }

    void send(const std::string& text) { asio::write(client, asio::buffer(text)); }
    std::string received() const { return data.substr(0, result->bytes); }

    asio::io_context io;
    tcp::acceptor acceptor;
    tcp::socket server;
    tcp::socket client;
    std::string data;
    std::optional<Result> result;
    std::optional<boost::system::error_code> waited;
};

TEST_F(EdgeReadTest, ReadsWhatIsThere) {
    send("hello");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    EXPECT_FALSE(result->ec);
    EXPECT_EQ(received(), "hello");
}

TEST_F(EdgeReadTest, AfterAShortReadWaitsAndThenGetsTheNextBytes) {
    send("first");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    start_read(64);
    io.run_for(50ms);
    io.restart();
    EXPECT_FALSE(result) << "nothing was sent, yet the read completed";
    send("second");
    ASSERT_TRUE(run_until_done()) << "bytes sent after a short read were never read";
    EXPECT_EQ(received(), "second");
}

TEST_F(EdgeReadTest, BytesWhoseEventCameBeforeTheReadStartedAreStillRead) {
    send("first");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    // The next bytes arrive and their readiness event is taken by the reactor while no read is
    // pending on the socket; a read started afterwards must still find them.
    send("second");
    std::this_thread::sleep_for(20ms);
    {
        auto guard = asio::make_work_guard(io);
        io.run_for(20ms);
    }
    io.restart();
    start_read(64);
    ASSERT_TRUE(run_until_done()) << "the read waited for an event that had already come";
    EXPECT_EQ(received(), "second");
}

TEST_F(EdgeReadTest, AFullReadLeavesTheRestToBeReadAtOnce) {
    send(std::string(100, 'x'));
    std::this_thread::sleep_for(20ms);
    start_read(60);
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(result->bytes, 60u);
    start_read(60);
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(result->bytes, 40u);
}

TEST_F(EdgeReadTest, CancelEndsAPendingRead) {
    start_read(64);
    io.run_for(20ms);
    io.restart();
    ASSERT_FALSE(result);
    server.cancel();
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(result->ec, asio::error::operation_aborted);
}

TEST_F(EdgeReadTest, PeerCloseIsEndOfFile) {
    send("last");
    client.close();
    start_read(64);
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(received(), "last");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(result->ec, asio::error::eof);
}

// The reactor takes the bytes and the FIN with one event; the short read leaves the FIN queued
// and no event follows it. A read that tries first still sees it.
TEST_F(EdgeReadTest, ATryFirstReadSeesAnEndOfFileThatCameWithTheLastBytes) {
    start_read(64);
    io.run_for(10ms);
    io.restart();
    ASSERT_FALSE(result) << "nothing was sent, yet the read completed";
    send("abc");
    client.close();
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(received(), "abc");
    start_read(64, ReadStart::try_first);
    ASSERT_TRUE(run_until_done(500ms)) << "the end of file behind the last bytes was never seen";
    EXPECT_EQ(result->ec, asio::error::eof);
}

TEST_F(EdgeReadTest, ATryFirstReadWaitsWhenNothingIsThere) {
    send("first");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    start_read(64, ReadStart::try_first);
    io.run_for(50ms);
    io.restart();
    EXPECT_FALSE(result) << "nothing was sent, yet the read completed";
    send("second");
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(received(), "second");
}

TEST_F(EdgeReadTest, AWaitAfterAShortReadEndsWhenBytesCome) {
    send("first");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    start_wait();
    io.run_for(50ms);
    io.restart();
    EXPECT_FALSE(waited) << "nothing was sent, yet the wait ended";
    send("second");
    ASSERT_TRUE(run_until_waited());
    EXPECT_FALSE(*waited);
    start_read(64);
    ASSERT_TRUE(run_until_done());
    EXPECT_EQ(received(), "second");
}

TEST_F(EdgeReadTest, AWaitIsCancelled) {
    send("first");
    start_read(64);
    ASSERT_TRUE(run_until_done());
    start_wait();
    io.run_for(20ms);
    io.restart();
    server.cancel();
    ASSERT_TRUE(run_until_waited());
    EXPECT_EQ(*waited, asio::error::operation_aborted);
}

TEST_F(EdgeReadTest, APendingReadIsFreedWithItsContext) {
    // Nothing to assert but that the sanitizer builds see no leak: the operation is destroyed,
    // not run, when its context goes away without running it again.
    auto context = std::make_unique<asio::io_context>();
    bool called = false;
    std::string buffer(16, '\0');
    {
        tcp::socket socket(*context);
        tcp::acceptor listener(*context, {asio::ip::make_address("127.0.0.1"), 0});
        tcp::socket peer(*context);
        peer.connect(listener.local_endpoint());
        listener.accept(socket);
        async_read_edge(socket, asio::buffer(buffer), ReadStart::after_event,
                        [&called](boost::system::error_code, std::size_t) { called = true; });
        context->run_for(10ms);
        // Sockets close before their context: the read is cancelled and its completion queued.
    }
    context.reset();
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace ringlb::net
