#include "controlplane/admin_api.hpp"

#include <exception>
#include <string>
#include <variant>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/json_reply.hpp"
#include "common/log.hpp"
#include "controlplane/admin_request.hpp"
#include "controlplane/metrics.hpp"
#include "net/header_lines.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

net::Response method_not_allowed(std::string_view path, std::string_view allowed) {
    return {http::status::method_not_allowed,
            net::json_reply(
                "<Error> '" + std::string(path) + "' accepts only " + std::string(allowed), false),
            "application/json", allowed};
}

// The HTTP answer to an /add or /rm, from the control plane's result.
net::Response change_answer(const ChangeResult& result) {
    if (const auto* applied = std::get_if<ChangeApplied>(&result)) {
        return replicas_answer(applied->replicas);
    }
    if (const auto* refused = std::get_if<ChangeRefused>(&result)) {
        return {http::status::bad_request, net::json_reply(refused->message, false)};
    }
    const auto& failed = std::get<ChangeStartFailed>(result);
    return {http::status::internal_server_error,
            net::json_reply(
                "<Error> could not start replica '" + failed.name + "': " + failed.error, false)};
}

}  // namespace

net::Response replicas_answer(const std::vector<std::string>& names) {
    boost::json::array replicas;
    for (const std::string& name : names) {
        replicas.emplace_back(name);
    }
    boost::json::object message;
    message["N"] = names.size();
    message["replicas"] = std::move(replicas);
    return {http::status::ok, net::json_reply(message, true)};
}

bool AdminApi::authorised(const net::RequestHead& request) const {
    if (options_.token.empty()) {
        return true;
    }
    const auto header = net::find_header(request.forward_headers, "Authorization");
    const auto token = header ? net::bearer_token(*header) : std::nullopt;
    return token && net::equal_secrets(*token, options_.token);
}

asio::awaitable<net::Response> AdminApi::handle(const net::RequestHead& request,
                                                const RoutingSnapshot& snapshot) const {
    // Errors are values all the way down; a throw is a bug. It still gets an answer, in the
    // contract's shape, and a log line, rather than a connection closed without one.
    std::string failure;
    try {
        co_return co_await answer(request, snapshot);
    } catch (const std::exception& e) {
        failure = e.what();
    }
    log::error("admin_call_failed", {{"path", request.path()}, {"error", failure}});
    co_return net::Response{http::status::internal_server_error,
                            net::json_reply("<Error> internal error: " + failure, false)};
}

asio::awaitable<net::Response> AdminApi::answer(const net::RequestHead& request,
                                                const RoutingSnapshot& snapshot) const {
    const std::string_view path = request.path();
    const http::verb method = request.method;
    const bool read = method == http::verb::get || method == http::verb::head;
    if (path == "/rep") {
        co_return read ? replicas_answer(snapshot.names) : method_not_allowed(path, "GET");
    }
    const bool needs_token = path != "/metrics" || options_.token_for_metrics;
    if (needs_token && !authorised(request)) {
        co_return net::Response{
            http::status::unauthorized,
            net::json_reply("<Error> '" + std::string(path) +
                                "' needs the admin token: Authorization: Bearer <token>",
                            false)};
    }
    if (path == "/metrics") {
        if (!read) {
            co_return method_not_allowed(path, "GET");
        }
        std::string text = render_metrics(snapshot);
        if (process_metrics_) {
            text += render_process_metrics(process_metrics_());
        }
        co_return net::Response{http::status::ok, std::move(text), "text/plain; version=0.0.4"};
    }
    const bool is_add = path == "/add";
    if (is_add ? method != http::verb::post
               : (method != http::verb::delete_ && method != http::verb::post)) {
        co_return method_not_allowed(path, is_add ? "POST" : "DELETE, POST");
    }
    if (request.body.size() > options_.max_body_bytes) {
        co_return net::Response{
            http::status::payload_too_large,
            net::json_reply("<Error> the payload is larger than " +
                                std::to_string(options_.max_body_bytes) + " bytes",
                            false)};
    }
    auto parsed = parse_change(request.body, is_add ? ChangeKind::add : ChangeKind::remove);
    if (const auto* error = std::get_if<AdminError>(&parsed)) {
        co_return net::Response{http::status::bad_request, net::json_reply(error->message, false)};
    }
    ReplicaChange change = std::move(std::get<ReplicaChange>(parsed));
    // Two statements, not a conditional expression: g++ 12 miscompiles coroutine calls that
    // take arguments by value inside ?: (the argument is destroyed twice).
    if (is_add) {
        co_return change_answer(co_await asio::co_spawn(
            control_.executor(), control_.add(std::move(change)), asio::use_awaitable));
    }
    co_return change_answer(co_await asio::co_spawn(
        control_.executor(), control_.remove(std::move(change)), asio::use_awaitable));
}

}  // namespace ringlb::balancer
