#include "controlplane/probe.hpp"

#include "net/listener.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

ProbeOutcome judge_probe(const net::ProbeResult& result) {
    if (result.ok()) {
        return {ProbeVerdict::passed, {}};
    }
    if (result.error) {
        return {net::is_local_resource_error(result.error) ? ProbeVerdict::local_failure
                                                           : ProbeVerdict::failed,
                result.error.message()};
    }
    return {ProbeVerdict::failed, "status " + std::to_string(result.status)};
}

namespace {

// A coroutine of its own, taking copies: a capturing coroutine lambda would read its captures
// from a closure that may be gone by the time it resumes.
asio::awaitable<ProbeOutcome> probe_once(asio::ip::tcp::endpoint endpoint, std::string host,
                                         std::string path, std::chrono::milliseconds timeout) {
    co_return judge_probe(
        co_await net::probe_http(endpoint, std::move(host), std::move(path), timeout));
}

}  // namespace

ProbeFunction http_probe(const HealthOptions& options) {
    return [path = options.path, timeout = options.timeout](const Backend& backend) {
        return probe_once(backend.endpoint(), backend.name(), path, timeout);
    };
}

}  // namespace ringlb::balancer
