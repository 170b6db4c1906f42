#include "controlplane/health_checker.hpp"

#include <boost/asio/co_spawn.hpp>

#include "common/log.hpp"
#include "controlplane/invariant.hpp"

namespace ringlb::balancer {

namespace asio = boost::asio;

namespace {

constexpr std::chrono::seconds kLocalFailureLogPeriod{1};

}  // namespace

std::optional<std::uint64_t> LogThrottle::admit(ControlClock::TimePoint now) {
    ++held_;
    if (last_ && now - *last_ < period_) {
        return std::nullopt;
    }
    last_ = now;
    return std::exchange(held_, 0);
}

HealthChecker::HealthChecker(asio::any_io_executor executor, const HealthOptions& options,
                             ControlClock& clock, ProbeFunction probe, Events events)
    : executor_(std::move(executor)),
      options_(options),
      clock_(clock),
      probe_(std::move(probe)),
      events_(std::move(events)),
      rng_(std::random_device{}()),
      local_failure_log_(kLocalFailureLogPeriod) {
    if (!events_.down) {
        fatal("the health checker needs a down handler");
    }
}

void HealthChecker::watch(std::shared_ptr<Backend> backend) {
    Watched watched{backend, HealthState(options_.thresholds)};
    watched.health.on_success();
    backend->set_up(true);
    watched_.insert_or_assign(backend->uid(), std::move(watched));
    asio::co_spawn(executor_, probe_loop(std::move(backend)), [](const std::exception_ptr& e) {
        if (e) {
            std::rethrow_exception(e);  // a probe never throws: a bug, so crash loudly
        }
    });
}

void HealthChecker::forget(std::uint64_t backend_uid) {
    watched_.erase(backend_uid);
}

std::chrono::milliseconds HealthChecker::next_interval() {
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(options_.interval.count()) * jitter(rng_)));
}

asio::awaitable<void> HealthChecker::probe_loop(std::shared_ptr<Backend> backend) {
    const std::uint64_t uid = backend->uid();
    for (;;) {
        co_await clock_.sleep(next_interval());
        if (!is_watching(uid)) {
            co_return;  // forgotten: removed, or replaced by a backend with its own loop
        }
        const ProbeOutcome outcome = co_await probe_(*backend);
        on_probe(uid, outcome);
    }
}

void HealthChecker::on_probe(std::uint64_t backend_uid, const ProbeOutcome& outcome) {
    const auto it = watched_.find(backend_uid);
    if (it == watched_.end()) {
        return;
    }
    Watched& watched = it->second;
    if (outcome.verdict == ProbeVerdict::local_failure) {
        on_local_failure(*watched.backend, outcome);
        return;
    }
    const bool changed = outcome.verdict == ProbeVerdict::passed ? watched.health.on_success()
                                                                 : watched.health.on_failure();
    const auto backend = watched.backend;  // the handlers may forget it
    if (watched.health.is_up()) {
        backend->set_up(true);  // also undoes a worker's suspicion after a passed probe
        if (changed && events_.up) {
            events_.up(backend);
        }
    } else if (changed) {
        events_.down(backend, "heartbeat: " + outcome.detail);
    }
}

void HealthChecker::on_local_failure(const Backend& backend, const ProbeOutcome& outcome) {
    local_failures_.fetch_add(1, std::memory_order_relaxed);
    if (const auto count = local_failure_log_.admit(clock_.now())) {
        log::warn("probe_local_failure", {{"name", backend.name()},
                                          {"id", backend.server_id()},
                                          {"error", outcome.detail},
                                          {"count", *count}});
    }
}

void HealthChecker::on_exit(std::uint64_t backend_uid) {
    const auto it = watched_.find(backend_uid);
    if (it == watched_.end()) {
        return;
    }
    it->second.health.on_fatal();
    const auto backend = it->second.backend;
    events_.down(backend, "exited");
}

}  // namespace ringlb::balancer
