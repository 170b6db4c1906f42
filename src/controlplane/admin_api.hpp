#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/balancer_options.hpp"
#include "controlplane/control_plane.hpp"
#include "controlplane/process_metrics.hpp"
#include "controlplane/routing_snapshot.hpp"
#include "net/request_parser.hpp"
#include "net/response.hpp"

namespace ringlb::balancer {

// the contract's /rep answer for these replica names, also the answer to a successful /add and /rm:
// {"message": {"N": 3, "replicas": [...]}, "status": "successful"}.
net::Response replicas_answer(const std::vector<std::string>& names);

// ringlb's own endpoints: GET /rep, POST /add, DELETE (or POST) /rm, GET /metrics. Served by the
// worker that read the request; /add and /rm hand the validated change to the control plane and
// wait for it to be done.
class AdminApi {
  public:
    AdminApi(ControlPlane& control, const AdminOptions& options)
        : control_(control), options_(options) {}

    // Whether `path` (no query) is one of ringlb's own endpoints rather than a replica's.
    static bool is_admin_path(std::string_view path) {
        return path == "/rep" || path == "/add" || path == "/rm" || path == "/metrics";
    }

    // Never throws: what throws underneath (a bug) is logged as admin_call_failed and answered
    // with a 500 in the contract's error shape.
    boost::asio::awaitable<net::Response> handle(const net::RequestHead& request,
                                                 const RoutingSnapshot& snapshot) const;

    // Where /metrics reads ringlb's own figures (connections, descriptors); set once at start,
    // before any request is served.
    void set_process_metrics(ProcessMetricsSource source) { process_metrics_ = std::move(source); }

  private:
    boost::asio::awaitable<net::Response> answer(const net::RequestHead& request,
                                                 const RoutingSnapshot& snapshot) const;
    bool authorised(const net::RequestHead& request) const;

    ControlPlane& control_;
    const AdminOptions& options_;
    ProcessMetricsSource process_metrics_;
};

}  // namespace ringlb::balancer
