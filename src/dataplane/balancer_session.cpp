#include "dataplane/balancer_session.hpp"

#include "common/json_reply.hpp"
#include "net/keep_alive_session.hpp"
#include "net/request_body.hpp"
#include "net/request_reader.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// An answer for a request this listener does not serve, or one it refuses outright.
net::Response not_here(std::string_view path, ListenerRole role) {
    const std::string where = role == ListenerRole::admin_only
                                  ? "' is not an admin endpoint"
                                  : "' is served on the admin address only";
    return {http::status::not_found,
            net::json_reply("<Error> '" + std::string(path) + where, false)};
}

// The admin API reads its payload whole: a body that streams (chunked, or larger than what is
// read with the head) is gathered here, up to one byte past `limit` so that the admin API's own
// 413 answers a larger one (the rest stays unread, and the connection closes after the answer).
// On a failed read, the answer for it.
asio::awaitable<std::optional<net::Response>> gather_body(net::RequestHead& request,
                                                          std::uint64_t limit) {
    net::PendingBody& pending = *request.pending_body;
    std::string whole = std::move(pending.piece());
    pending.took_piece();
    while (!pending.done() && whole.size() <= limit) {
        if (const auto ec = co_await pending.read_more()) {
            co_return net::read_failure_answer(ec);
        }
        whole += pending.piece();
        pending.took_piece();
    }
    request.body = std::move(whole);
    co_return std::nullopt;
}

// Answers one request that was read whole: ringlb's own endpoints here, everything else through
// the proxy. One per connection; holds the connection's forwarding buffers between requests.
class ClientAnswer {
  public:
    ClientAnswer(net::Connection& connection, net::WorkerContext& worker, DataPlane& plane,
                 ListenerRole role)
        : connection_(connection),
          worker_(worker),
          plane_(plane),
          state_(plane.workers[worker.index]),
          role_(role),
          client_ip_(connection.peer.address().to_string()) {}

    asio::awaitable<bool> operator()(net::RequestHead& request, bool keep_alive, std::string& out) {
        const std::string_view date = worker_.connections.http_date();
        if (request.target.size() > plane_.options.front.max_url_bytes) {
            net::serialize({http::status::uri_too_long,
                            net::json_reply("<Error> request target too long", false)},
                           date, false, false, out);
            co_return false;
        }
        const std::string_view path = request.path();
        const bool admin_path = AdminApi::is_admin_path(path);
        const bool head = request.method == http::verb::head;
        // An answer from here leaves a streamed body it does not read: the connection then closes.
        const bool body_left = request.pending_body != nullptr;
        if (admin_path && role_ != ListenerRole::proxy_only) {
            if (body_left) {
                if (auto failed =
                        co_await gather_body(request, plane_.options.admin.max_body_bytes)) {
                    net::serialize(*failed, worker_.connections.http_date(), false, head, out);
                    co_return false;
                }
                keep_alive = keep_alive && request.pending_body->done();
            }
            const auto lease = state_.snapshots.acquire();
            const auto response = co_await plane_.admin.handle(request, *lease);
            // The date is read again: the ticker may have rewritten it during the wait.
            net::serialize(response, worker_.connections.http_date(), keep_alive, head, out);
        } else if (admin_path || role_ == ListenerRole::admin_only) {
            keep_alive = keep_alive && !body_left;
            net::serialize(not_here(path, role_), date, keep_alive, head, out);
        } else {
            co_return co_await plane_.proxy.forward(worker_, state_, buffers_, request, connection_,
                                                    client_ip_, keep_alive, out);
        }
        co_return keep_alive;
    }

  private:
    net::Connection& connection_;
    net::WorkerContext& worker_;
    DataPlane& plane_;
    ProxyWorker& state_;
    ListenerRole role_;
    std::string client_ip_;
    ProxyBuffers buffers_;
};

}  // namespace

asio::awaitable<net::SessionEnd> serve_client(net::Connection& connection,
                                              net::WorkerContext& worker, DataPlane& plane,
                                              ListenerRole role) {
    return net::serve_keep_alive(connection, worker, plane.options.limits,
                                 plane.options.key_policy.header_to_capture(), true,
                                 ClientAnswer(connection, worker, plane, role));
}

}  // namespace ringlb::balancer
