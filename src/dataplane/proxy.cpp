#include "dataplane/proxy.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "dataplane/request_key.hpp"
#include "dataplane/upstream_exchange.hpp"
#include "hashing/bounded_load.hpp"
#include "hashing/table.hpp"
#include "common/json_reply.hpp"
#include "net/response.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

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
    if (!request.body.empty() || request.method == http::verb::post ||
        request.method == http::verb::put || request.method == http::verb::patch) {
        out += "Content-Length: ";
        out += std::to_string(request.body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += request.body;
}

bool has_no_body(unsigned status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

void append_answer(const net::ResponseHead& answer, bool head_request, bool keep_alive, std::string& out) {
    out += "HTTP/1.1 ";
    out += std::to_string(answer.status);
    out += ' ';
    out += answer.reason;
    out += "\r\n";
    out += answer.forward_headers;
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

asio::awaitable<void> Proxy::forward(net::WorkerContext& worker, ProxyWorker& state,
                                     ProxyBuffers& buffers, const net::RequestHead& request,
                                     std::string_view client_ip, bool keep_alive,
                                     std::string& out) const {
    const auto lease = state.snapshots.acquire();
    const RoutingSnapshot& snapshot = *lease;
    if (state.pooled_version != state.snapshots.seen_version()) {
        state.pool.keep_only(snapshot);
        state.pooled_version = state.snapshots.seen_version();
    }
    const std::string_view date = worker.connections.http_date();
    if (!snapshot.table || snapshot.table->empty()) {
        append_error(http::status::service_unavailable, "<Error> no replicas available", date, keep_alive, out);
        co_return;
    }
    const hashing::Key key = request_key(options_.key_policy,
                                         request.has_key_header ? &request.key_header_value : nullptr,
                                         request.target, client_ip, state.rng);
    build_upstream_request(request, client_ip, buffers.upstream_request);
    const bool head_request = request.method == http::verb::head;
    const bool idempotent = is_idempotent(request.method);

    // Replicas tried so far, as member indices; failover never returns to one of them.
    std::array<hashing::MemberIndex, kMaxFailoverAttempts> tried{};
    std::size_t tried_count = 0;
    const std::size_t attempts = std::min<std::size_t>(options_.proxy.failover_attempts, kMaxFailoverAttempts);
    const auto& epsilon = options_.hash.bounded_load.epsilon;
    ExchangeResult last;
    const Backend* last_backend = nullptr;
    while (tried_count < attempts) {
        const std::uint32_t capacity = epsilon ? bounded_capacity(snapshot, *epsilon) : 0;
        const auto member = hashing::pick_first(*snapshot.table, key, [&](hashing::MemberIndex m) {
            const auto& backend = snapshot.backends[m];
            return backend && backend->is_up() &&
                   std::find(tried.begin(), tried.begin() + tried_count, m) == tried.begin() + tried_count &&
                   (!epsilon || backend->in_flight().load(std::memory_order_relaxed) < capacity);
        });
        if (!member) {
            break;
        }
        tried[tried_count++] = *member;
        Backend& backend = *snapshot.backends[*member];
        ReplicaCounters& counters = backend.counters(worker.index);
        const auto started = std::chrono::steady_clock::now();
        if (epsilon) {
            backend.in_flight().fetch_add(1, std::memory_order_relaxed);
        }
        UpstreamRequest upstream{buffers.upstream_request, head_request, &buffers.answer, {}};
        const UpstreamTarget target{backend.uid(), backend.endpoint()};
        if (idempotent) {
            co_await state.batcher.exchange(worker, state.pool, target, upstream, options_.proxy);
        } else {
            UpstreamRequest* const one[] = {&upstream};
            co_await exchange_all(worker, state.pool, target, one, options_.proxy);
        }
        last = upstream.result;
        if (epsilon) {
            backend.in_flight().fetch_sub(1, std::memory_order_relaxed);
        }
        last_backend = &backend;
        if (last.outcome == ExchangeOutcome::answered) {
            const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - started);
            counters.observe(static_cast<std::uint64_t>(micros.count()));
            if (buffers.answer.status == 404) {
                append_error(http::status::bad_request,
                             "<Error> '" + std::string(path_of(request.target)) +
                                 "' endpoint does not exist in server replicas",
                             date, keep_alive, out);
            } else {
                append_answer(buffers.answer, head_request, keep_alive, out);
            }
            co_return;
        }
        counters.failures.add(1);
        const bool may_retry = last.outcome == ExchangeOutcome::unreachable ||
                               (last.outcome == ExchangeOutcome::no_answer && idempotent);
        if (last.outcome == ExchangeOutcome::unreachable || last.outcome == ExchangeOutcome::no_answer) {
            // Stop routing to it until its next passed heartbeat.
            backend.set_up(false);
        }
        if (!may_retry) {
            break;
        }
    }
    if (last_backend == nullptr) {
        append_error(http::status::service_unavailable, "<Error> no replicas available", date, keep_alive, out);
    } else if (last.outcome == ExchangeOutcome::timed_out) {
        append_error(http::status::gateway_timeout,
                     "<Error> replica '" + last_backend->name() + "' did not answer in time", date,
                     keep_alive, out);
    } else {
        append_error(http::status::bad_gateway,
                     "<Error> no replica could answer: " + last_backend->name() + ": " + last.error.message(),
                     date, keep_alive, out);
    }
}

}  // namespace ringlb::balancer
