#include "controlplane/process_metrics.hpp"

#include <filesystem>
#include <sys/resource.h>

#include "controlplane/prometheus_text.hpp"

namespace ringlb::balancer {

namespace {

void metric(std::string& out, const char* name, const char* type, const char* help,
            const std::string& samples) {
    prometheus_help(out, name, type, help);
    out += samples;
}

std::string line(const std::string& series, std::uint64_t value) {
    return series + " " + std::to_string(value) + "\n";
}

}  // namespace

std::string render_process_metrics(const ProcessMetrics& m) {
    std::string out;
    metric(out, "ringlb_client_connections", "gauge", "Client connections open now.",
           line("ringlb_client_connections", m.client_connections));
    metric(out, "ringlb_upstream_connections", "gauge",
           "Connections to replicas open now, in use or kept for reuse.",
           line("ringlb_upstream_connections", m.upstream_connections));
    metric(out, "ringlb_connections_refused_total", "counter",
           "Client connections answered 503 and closed: past --max-connections, or while out of "
           "descriptors.",
           line("ringlb_connections_refused_total{reason=\"limit\"}", m.refused_over_limit) +
               line("ringlb_connections_refused_total{reason=\"descriptors\"}",
                    m.refused_no_descriptor));
    metric(out, "ringlb_out_of_descriptors", "gauge",
           "1 while accepts fail for want of descriptors.",
           line("ringlb_out_of_descriptors", m.out_of_descriptors ? 1 : 0));
    metric(out, "ringlb_open_files", "gauge", "Descriptors ringlb has open.",
           line("ringlb_open_files", m.open_files));
    metric(out, "ringlb_open_files_limit", "gauge",
           "The most descriptors ringlb may open (RLIMIT_NOFILE).",
           line("ringlb_open_files_limit", m.open_files_limit));
    metric(out, "ringlb_local_failures_total", "counter",
           "Heartbeats and upstream connects that could not be attempted for want of ringlb's own "
           "resources; "
           "they count against no replica.",
           line("ringlb_local_failures_total{what=\"probe\"}", m.probe_local_failures) +
               line("ringlb_local_failures_total{what=\"connect\"}", m.connect_local_failures));
    metric(out, "ringlb_streamed_answers_total", "counter",
           "Answers relayed to the client as they arrived (large or unframed bodies, event "
           "streams) rather than read whole.",
           line("ringlb_streamed_answers_total", m.streamed_answers));
    metric(out, "ringlb_streams_cut_total", "counter",
           "Streamed answers cut before their end: the replica or the client failed or was quiet "
           "past --stream-idle-timeout. The client connection is closed.",
           line("ringlb_streams_cut_total", m.streams_cut));
    metric(out, "ringlb_batched_requests_total", "counter",
           "Requests sent to a replica pipelined with others on one connection (quick routes "
           "only, --upstream-batch-quick).",
           line("ringlb_batched_requests_total", m.batched_requests));
    metric(out, "ringlb_spliced_bytes_total", "counter",
           "Body bytes of streamed answers moved from the replica to the client through a pipe "
           "(splice), without entering ringlb's memory.",
           line("ringlb_spliced_bytes_total", m.spliced_bytes));
    metric(out, "ringlb_pipes", "gauge",
           "Pipes held for splicing answer bodies (two descriptors each), idle ones included.",
           line("ringlb_pipes", m.pipes_open));
    metric(out, "ringlb_tunnels", "gauge",
           "Upgraded connections (WebSockets) passing bytes between a client and a replica now.",
           line("ringlb_tunnels", m.tunnels_open));
    metric(out, "ringlb_tunnels_total", "counter", "Upgraded connections since start.",
           line("ringlb_tunnels_total", m.tunnels_total));
    metric(out, "ringlb_tunnel_bytes_total", "counter",
           "Bytes passed through upgraded connections, both ways.",
           line("ringlb_tunnel_bytes_total", m.tunnel_bytes));
    metric(out, "ringlb_log_lines_lost_total", "counter", "Log lines stderr's reader did not take.",
           line("ringlb_log_lines_lost_total", m.log_lines_lost));
    return out;
}

std::uint64_t count_open_files() {
    std::error_code ec;
    std::uint64_t count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
        ++count;
    }
    return count > 0 ? count - 1 : 0;  // less the iterator's own
}

std::uint64_t open_files_limit() {
    rlimit limit{};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : 0;
}

std::uint64_t raise_open_files_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        }
    }
    return limit.rlim_cur;
}

}  // namespace ringlb::balancer
