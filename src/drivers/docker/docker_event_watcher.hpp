#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "drivers/docker/docker_client.hpp"
#include "drivers/docker/engine_event.hpp"

namespace ringlb::drivers {

// Follows one GET /events stream (the target selects which events) and calls on_event for each
// event in it. When the stream breaks (daemon restarted, socket gone) it reconnects after `retry`;
// events in between are lost, which is fine for its one use: noticing dead replicas sooner than
// their heartbeat does.
//
// Lives on one executor: start(), stop() and on_event all run there. After stop(), on_event is
// never called again; the coroutine holds the watcher alive until it has wound down.
class DockerEventWatcher : public std::enable_shared_from_this<DockerEventWatcher> {
  public:
    using OnEvent = std::function<void(const EngineEvent& event)>;

    DockerEventWatcher(boost::asio::any_io_executor executor, std::string socket_path,
                       std::string target, std::chrono::milliseconds connect_timeout,
                       std::chrono::milliseconds retry, OnEvent on_event);

    void start();
    void stop();

  private:
    boost::asio::awaitable<void> run();
    // One connection: returns when the stream ends or fails.
    boost::asio::awaitable<boost::system::error_code> follow();
    void deliver_lines(std::string& pending);

    boost::asio::any_io_executor executor_;
    std::string socket_path_;
    std::string target_;
    std::chrono::milliseconds connect_timeout_;
    std::chrono::milliseconds retry_;
    OnEvent on_event_;
    std::optional<UnixStream> stream_;
    boost::asio::steady_timer retry_timer_;
    bool stopped_ = false;
    bool streaming_ = false;  // the current connection got past the answer's header
};

}  // namespace ringlb::drivers
