#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common/cli_duration.hpp"
#include "net/http_limits.hpp"

namespace ringlb::net {

// The help of the limit flags whose meaning differs between programs.
struct HttpLimitHelp {
    std::string idle_timeout;
    std::string request_timeout;
    std::string drain_timeout;
};

// Adds the flags of every HttpLimits field to `app`, bound to `limits`; each flag's environment
// twin is `env_prefix` followed by the flag's name in capitals ("RINGLB_" + "IDLE_TIMEOUT").
inline void add_http_limit_options(CLI::App& app, HttpLimits& limits, const std::string& env_prefix,
                                   const HttpLimitHelp& help) {
    add_duration_option(app, "--idle-timeout", limits.idle_timeout, help.idle_timeout,
                        env_prefix + "IDLE_TIMEOUT");
    add_duration_option(app, "--request-timeout", limits.request_timeout, help.request_timeout,
                        env_prefix + "REQUEST_TIMEOUT");
    add_duration_option(app, "--drain-timeout", limits.drain_timeout, help.drain_timeout,
                        env_prefix + "DRAIN_TIMEOUT");
    app.add_option("--max-header-bytes", limits.max_header_bytes,
                   "Largest request line plus headers (431 past it)")
        ->envname(env_prefix + "MAX_HEADER_BYTES")
        ->check(CLI::Range(1024U, 1024U * 1024U))
        ->capture_default_str();
    app.add_option("--max-header-fields", limits.max_header_fields,
                   "Most header fields in a request (431 past it)")
        ->envname(env_prefix + "MAX_HEADER_FIELDS")
        ->check(CLI::Range(1U, 10'000U))
        ->capture_default_str();
    app.add_option("--max-body-bytes", limits.max_body_bytes,
                   "Largest request body (413 past it); 0 for no limit")
        ->envname(env_prefix + "MAX_BODY_BYTES")
        ->capture_default_str();
}

}  // namespace ringlb::net
