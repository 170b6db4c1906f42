// ringlb-docker-driver-tool: drives DockerDriver from the command line, one call per run, so the
// docker tests can check what the driver does to a real engine with the docker CLI beside it.
// Prints JSON on stdout; exits 0 on success, 1 when the driver reported an error.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "drivers/docker/docker_driver.hpp"
#include "net/url.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using ringlb::balancer::ReplicaAddress;
using ringlb::drivers::DockerDriver;

json::object to_json(const ReplicaAddress& replica) {
    return {{"name", replica.name},
            {"server_id", replica.server_id},
            {"ip", replica.endpoint.address().to_string()},
            {"port", replica.endpoint.port()}};
}

void print(const json::value& value) {
    std::cout << json::serialize(value) << "\n" << std::flush;
}

struct Command {
    std::string verb;
    std::string name;
    std::uint32_t server_id = 0;
    int watch_seconds = 0;
};

asio::awaitable<int> run(DockerDriver& driver, const Command& command) {
    if (command.verb == "start") {
        const auto result = co_await driver.start(command.name, command.server_id);
        if (!result.replica) {
            print(json::object{{"error", result.error}});
            co_return 1;
        }
        print(to_json(*result.replica));
    } else if (command.verb == "stop") {
        // The engine takes a name where it takes a container ID, and so does the driver's handle.
        co_await driver.stop(ringlb::balancer::ReplicaHandle(command.name));
        print(json::object{{"stopped", command.name}});
    } else if (command.verb == "list") {
        json::array replicas;
        for (const auto& replica : co_await driver.list()) {
            replicas.push_back(to_json(replica));
        }
        print(replicas);
    } else if (command.verb == "watch") {
        // list() first, as the load balancer does at start-up; exits are printed as they come.
        auto names =
            std::make_shared<std::map<std::string, std::string>>();  // container ID -> name
        driver.on_exit([names](const ringlb::balancer::ReplicaHandle& replica) {
            const auto it = names->find(replica.id());
            print(json::object{{"exited", it == names->end() ? replica.id() : it->second}});
        });
        json::array replicas;
        for (const auto& replica : co_await driver.list()) {
            (*names)[replica.handle.id()] = replica.name;
            replicas.push_back(to_json(replica));
        }
        print(json::object{{"watching", replicas}});
        asio::steady_timer timer(co_await asio::this_coro::executor,
                                 std::chrono::seconds(command.watch_seconds));
        co_await timer.async_wait(asio::use_awaitable);
    }
    co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
    ringlb::drivers::DockerDriverOptions options;
    Command command;
    int api_timeout_ms = static_cast<int>(options.api_timeout.count());
    CLI::App app{"ringlb-docker-driver-tool: one DockerDriver call against a real engine"};
    app.require_subcommand(1);
    app.add_option("--socket", options.socket_path, "Engine API socket")->capture_default_str();
    app.add_option("--image", options.image, "Replica image")->capture_default_str();
    app.add_option("--network", options.network, "Replica network")->capture_default_str();
    app.add_option("--instance", options.instance, "Value of the ringlb.instance label")
        ->capture_default_str();
    app.add_option("--api-timeout-ms", api_timeout_ms, "Limit of each API call")
        ->capture_default_str();
    auto* start = app.add_subcommand("start", "Start a replica container");
    start->add_option("name", command.name)->required();
    start->add_option("server_id", command.server_id)->required();
    auto* stop = app.add_subcommand("stop", "Stop and remove a replica container");
    stop->add_option("name", command.name)->required();
    app.add_subcommand("list", "List (adopt) the replica containers");
    auto* watch = app.add_subcommand("watch", "List, then print replicas that exit, for SECONDS");
    watch->add_option("seconds", command.watch_seconds)->required();
    CLI11_PARSE(app, argc, argv);
    command.verb = app.get_subcommands().front()->get_name();
    options.api_timeout = std::chrono::milliseconds(api_timeout_ms);

    try {
        asio::io_context context;
        DockerDriver driver(context, options);
        int exit_code = 1;
        asio::co_spawn(context, run(driver, command),
                       [&](const std::exception_ptr& error, int code) {
                           exit_code = error ? 2 : code;
                           // The event watcher would keep the context busy forever.
                           context.stop();
                       });
        context.run();
        return exit_code;
    } catch (const std::exception& e) {
        print(json::object{{"error", e.what()}});
        return 2;
    }
}
