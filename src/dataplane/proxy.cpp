#include "dataplane/proxy.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include "common/json_reply.hpp"
#include "dataplane/request_key.hpp"
#include "dataplane/tunnel.hpp"
#include "dataplane/upstream_decision.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "hashing/bounded_load.hpp"
#include "hashing/table.hpp"
#include "net/request_reader.hpp"
#include "net/response.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

void build_upstream_request(const net::RequestHead& request, std::string_view client_ip,
                            std::string& out) {
    out.clear();
    out += request.method_text;
    out += ' ';
    out += request.target;
    out += " HTTP/1.1\r\n";
    out += request.forward_headers;
    out += "X-Forwarded-For: ";
    if (!request.forwarded_for.empty()) {
        out += request.forwarded_for;
        out += ", ";
    }
    out += client_ip;
    out += "\r\n";
    if (!request.upgrade.empty()) {
        out += "Connection: Upgrade\r\nUpgrade: ";
        out += request.upgrade;
        out += "\r\n";
    }
    if (request.pending_body != nullptr) {
        // The body streams: its framing is the client's, the bytes follow (send_body).
        const auto length = request.pending_body->content_length();
        out += length ? "Content-Length: " + std::to_string(*length) + "\r\n"
                      : std::string("Transfer-Encoding: chunked\r\n");
        out += "\r\n";
        return;
    }
    if (!request.body.empty() || request.method == http::verb::post ||
        request.method == http::verb::put || request.method == http::verb::patch) {
        out += "Content-Length: ";
        out += std::to_string(request.body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += request.body;
}

bool has_no_body(unsigned status) {
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void append_answer(const net::ResponseHead& answer, bool head_request, bool keep_alive,
                   std::string& out) {
    append_status_and_headers(answer, out);
    if (!has_no_body(answer.status) && !head_request) {
        out += "Content-Length: ";
        out += std::to_string(answer.body.size());
        out += "\r\n";
    }
    if (!keep_alive) {
        out += "Connection: close\r\n";
    }
    out += "\r\n";
    if (!head_request) {
        out += answer.body;
    }
}

void append_error(http::status status, const std::string& message, std::string_view date,
                  bool keep_alive, std::string& out) {
    net::serialize({status, net::json_reply(message, false)}, date, keep_alive, false, out);
}

// Bounded loads (Mirrokni et al.): the most requests any replica may hold, from the counts of
// the replicas that are up. Reads every count, so it runs only when the option is on.
std::uint32_t bounded_capacity(const RoutingSnapshot& snapshot, double epsilon) {
    std::uint64_t total = 0;
    std::size_t up = 0;
    for (const auto& backend : snapshot.backends) {
        if (backend && backend->is_up()) {
            total += backend->in_flight().load(std::memory_order_relaxed);
            ++up;
        }
    }
    return hashing::bounded_load_capacity(total, up, epsilon);
}

// Replicas tried so far for one request, as member indices; failover never returns to one.
struct Tried {
    std::array<hashing::MemberIndex, kMaxFailoverAttempts> members{};
    std::size_t count = 0;

    bool contains(hashing::MemberIndex m) const {
        return std::find(members.begin(), members.begin() + count, m) != members.begin() + count;
    }
};

// The next replica for `key`: the first one the table names that is up, untried and, with bounded
// loads, below the capacity.
std::optional<hashing::MemberIndex> pick(const RoutingSnapshot& snapshot, hashing::Key key,
                                         const Tried& tried, const std::optional<double>& epsilon) {
    const std::uint32_t capacity = epsilon ? bounded_capacity(snapshot, *epsilon) : 0;
    return hashing::pick_first(*snapshot.table, key, [&](hashing::MemberIndex m) {
        const auto& backend = snapshot.backends[m];
        return backend && backend->is_up() && !tried.contains(m) &&
               (!epsilon || backend->in_flight().load(std::memory_order_relaxed) < capacity);
    });
}

// The last replica a request went to, and how that ended.
struct LastTry {
    const Backend& backend;
    ExchangeResult result;
};

// Appends what the client is answered (client_reply decides which).
void append_reply(const std::optional<LastTry>& last, const ProxyBuffers& buffers,
                  std::string_view path, bool head_request, bool keep_alive, std::string_view date,
                  std::string& out) {
    const auto outcome = last ? std::optional(last->result.outcome) : std::nullopt;
    switch (client_reply(outcome, buffers.answer.status)) {
        case ClientReply::replica_answer:
            append_answer(buffers.answer, head_request, keep_alive, out);
            return;
        case ClientReply::endpoint_missing:
            append_error(
                http::status::bad_request,
                "<Error> '" + std::string(path) + "' endpoint does not exist in server replicas",
                date, keep_alive, out);
            return;
        case ClientReply::no_replicas:
            append_error(http::status::service_unavailable, "<Error> no replicas available", date,
                         keep_alive, out);
            return;
        case ClientReply::timed_out:
            append_error(http::status::gateway_timeout,
                         "<Error> replica '" + last->backend.name() + "' did not answer in time",
                         date, keep_alive, out);
            return;
        case ClientReply::bad_request:
            net::serialize(net::read_failure_answer(last->result.error), date, false, head_request,
                           out);
            return;
        case ClientReply::overloaded:
            append_error(http::status::service_unavailable,
                         "<Error> too many connections, try again later", date, keep_alive, out);
            return;
        case ClientReply::bad_gateway:
            append_error(http::status::bad_gateway,
                         "<Error> no replica could answer: " + last->backend.name() + ": " +
                             last->result.error.message(),
                         date, keep_alive, out);
            return;
    }
}

}  // namespace

bool is_idempotent(http::verb method) {
    switch (method) {
        case http::verb::get:
        case http::verb::head:
        case http::verb::options:
        case http::verb::trace:
        case http::verb::put:
        case http::verb::delete_:
            return true;
        default:
            return false;
    }
}

asio::awaitable<ExchangeResult> Proxy::exchange_with(net::WorkerContext& worker, ProxyWorker& state,
                                                     Backend& backend, UpstreamRequest& upstream,
                                                     bool batch, std::uint64_t route) const {
    const bool bounded = options_.hash.bounded_load.epsilon.has_value();
    const auto started = std::chrono::steady_clock::now();
    if (bounded) {
        backend.in_flight().fetch_add(1, std::memory_order_relaxed);
    }
    UpstreamTarget target{backend.uid(), backend.endpoint(), &backend.abandoned()};
    if (batch) {
        co_await state.batcher(worker).exchange(std::move(target), upstream);
    } else {
        UpstreamRequest* const one[] = {&upstream};
        co_await exchange_all(worker, state.pool, std::move(target), one, options_.proxy);
    }
    if (bounded) {
        backend.in_flight().fetch_sub(1, std::memory_order_relaxed);
    }
    ReplicaCounters& counters = backend.counters(worker.index);
    const Micros quick = options_.proxy.upstream_batch_quick;
    if (upstream.result().outcome == ExchangeOutcome::answered) {
        const auto micros =
            std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - started);
        counters.observe(static_cast<std::uint64_t>(micros.count()));
        state.route_speeds.observe(backend.uid(), route, micros, quick);
    } else if (upstream.result().outcome == ExchangeOutcome::local_failure) {
        count_upstream_local_failure();
    } else if (upstream.result().outcome != ExchangeOutcome::client_failed) {
        counters.failures.add(1);
        state.route_speeds.observe(backend.uid(), route, std::nullopt, quick);
    }
    co_return upstream.result();
}

asio::awaitable<bool> Proxy::forward(net::WorkerContext& worker, ProxyWorker& state,
                                     ProxyBuffers& buffers, const net::RequestHead& request,
                                     net::Connection& client, std::string_view client_ip,
                                     bool keep_alive, std::string& out) const {
    const auto lease = state.snapshots.acquire();
    const RoutingSnapshot& snapshot = *lease;
    if (state.pooled_version != state.snapshots.seen_version()) {
        state.pool.keep_only(snapshot);
        state.pooled_version = state.snapshots.seen_version();
    }
    const std::string_view date = worker.connections.http_date();
    const bool head_request = request.method == http::verb::head;
    std::optional<LastTry> last;
    std::optional<AnswerStream> stream;
    if (snapshot.table && !snapshot.table->empty()) {
        const hashing::Key key = request_key(
            options_.key_policy, request.has_key_header ? &request.key_header_value : nullptr,
            request.path(), client_ip, state.rng);
        build_upstream_request(request, client_ip, buffers.upstream_request);
        const bool idempotent = is_idempotent(request.method);
        const std::size_t attempts =
            std::min<std::size_t>(options_.proxy.failover_attempts, kMaxFailoverAttempts);
        Tried tried;
        while (tried.count < attempts) {
            const auto member = pick(snapshot, key, tried, options_.hash.bounded_load.epsilon);
            if (!member) {
                break;
            }
            tried.members[tried.count++] = *member;
            Backend& backend = *snapshot.backends[*member];
            UpstreamRequest upstream(buffers.upstream_request, head_request, buffers.answer);
            upstream.body = request.pending_body;
            const std::uint64_t route =
                RouteSpeeds::route_key(backend.uid(), request.method, request.path());
            const bool batch = may_batch({idempotent, request.pending_body != nullptr,
                                          !request.upgrade.empty(), state.route_speeds.get(route)});
            const ExchangeResult result =
                co_await exchange_with(worker, state, backend, upstream, batch, route);
            last.emplace(LastTry{backend, result});
            if (last->result.outcome == ExchangeOutcome::answered) {
                stream = std::move(upstream.stream);
                break;
            }
            const bool body_gone = request.pending_body != nullptr && request.pending_body->taken();
            const AfterFailure after = after_failure(last->result.outcome, idempotent, body_gone);
            if (after.mark_down) {
                backend.set_up(false);
            }
            if (!after.try_next) {
                break;
            }
        }
    }
    if (request.pending_body != nullptr && !request.pending_body->done()) {
        keep_alive = false;  // the body's rest is unread: the session closes after this answer
    }
    const auto outcome = last ? std::optional(last->result.outcome) : std::nullopt;
    if (stream && client_reply(outcome, buffers.answer.status) == ClientReply::replica_answer) {
        co_return co_await relay(worker, state, buffers, request, client, keep_alive,
                                 std::move(*stream), out);
    }
    append_reply(last, buffers, request.path(), head_request, keep_alive, date, out);
    co_return keep_alive;
}

asio::awaitable<bool> Proxy::relay(net::WorkerContext& worker, ProxyWorker& state,
                                   ProxyBuffers& buffers, const net::RequestHead& request,
                                   net::Connection& client, bool keep_alive, AnswerStream stream,
                                   std::string& out) const {
    if (buffers.answer.status == 101 && request.unread != nullptr) {
        append_switch_head(buffers.answer, out);
        co_await tunnel(worker, client, *request.unread, std::move(stream), out,
                        options_.proxy.stream_idle_timeout);
        out.clear();
        co_return false;
    }
    const auto length = stream.parser->content_length();
    const std::optional<std::uint64_t> content_length =
        length ? std::optional(*length) : std::nullopt;
    const ClientFraming framing = client_framing(content_length, request.version >= 11 ? 1 : 0);
    const bool keep = keep_alive && framing != ClientFraming::close;
    append_stream_head(buffers.answer, framing, content_length, keep, out);
    const bool whole =
        co_await relay_answer(worker, state.pool, std::move(stream), buffers.answer, client,
                              framing, out, options_.proxy.stream_idle_timeout);
    out.clear();
    co_return whole&& keep;
}

}  // namespace ringlb::balancer
