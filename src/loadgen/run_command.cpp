#include "loadgen/run_command.hpp"

#include <cmath>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "common/duration.hpp"
#include "loadgen/load_run.hpp"
#include "loadgen/progress_bar.hpp"
#include "loadgen/run_report.hpp"

namespace ringlb::loadgen {

namespace {

// The limits on what one run may ask for: bounded so that a typo cannot start an endless load.
constexpr std::uint64_t kMaxRequests = 100'000'000;
constexpr std::uint32_t kMaxConcurrency = 10'000;
constexpr double kMaxSeconds = 24 * 3600.0;

struct RunOptions {
    std::string url = "http://127.0.0.1:5000/home";
    std::uint64_t requests = RunParams{}.requests;
    std::uint32_t concurrency = RunParams{}.concurrency;
    std::string timeout = net::format_duration(RunParams{}.timeout);
    double max_seconds = std::chrono::duration<double>(RunParams{}.max_duration).count();
    double rate = 0.0;
    std::string request_ids = "random";
    std::optional<std::uint64_t> seed;
    std::string id_header = RunParams{}.id_header;
    bool timeline = false;
    std::string timeline_interval = "1s";
    bool json = false;
    bool quiet = false;
};

std::chrono::milliseconds duration_option(const std::string& flag, const std::string& text) {
    const auto parsed = net::parse_duration(text);
    if (!parsed || parsed->count() == 0) {
        throw CLI::ValidationError(
            flag, "expected a positive duration such as 500ms, 2s or 1m, got '" + text + "'");
    }
    return *parsed;
}

RunParams params_from(const RunOptions& options) {
    RunParams params;
    const auto url = net::parse_http_url(options.url);
    if (!url) {
        throw CLI::ValidationError("--url",
                                   "expected http://HOST[:PORT]/PATH, got '" + options.url + "'");
    }
    params.url = *url;
    params.requests = options.requests;
    params.concurrency = options.concurrency;
    params.timeout = duration_option("--timeout", options.timeout);
    params.max_duration = std::chrono::milliseconds(std::llround(options.max_seconds * 1000.0));
    params.rate = options.rate;
    params.id_header = options.id_header;
    const auto ids = parse_request_ids(options.request_ids);
    if (!ids) {
        throw CLI::ValidationError("--request-ids",
                                   "expected random, none or a comma-separated "
                                   "list of keys, got '" +
                                       options.request_ids + "'");
    }
    params.ids = *ids;
    params.ids.seed = options.seed ? *options.seed : std::random_device{}();
    if (options.timeline) {
        params.timeline_interval =
            duration_option("--timeline-interval", options.timeline_interval);
    }
    return params;
}

int run(const RunOptions& options) {
    RunReport report{.url = options.url, .params = params_from(options), .result = RunResult{}};
    std::function<void(const RunProgress&)> on_progress;
    // The bar redraws one line in place, which only makes sense on a terminal.
    if (!options.quiet && ::isatty(STDERR_FILENO) == 1) {
        on_progress = [](const RunProgress& progress) {
            std::cerr << '\r' << progress_line(progress) << std::flush;
        };
    }
    try {
        report.result = run_load(report.params, on_progress);
    } catch (const std::runtime_error& error) {
        std::cerr << "ringlb-load run: " << error.what() << '\n';
        return 1;
    }
    if (on_progress) {
        std::cerr << '\n';
    }
    if (options.json) {
        print_run_json(std::cout, report);
    } else {
        print_run_text(std::cout, report);
    }
    std::cout.flush();
    // Failures are what a run measures, so they do not fail the command; nothing answering at all
    // usually means a wrong URL, which a script should notice.
    if (report.result.stats.succeeded() == 0) {
        std::cerr << "ringlb-load run: no request succeeded\n";
        return 1;
    }
    return 0;
}

}  // namespace

void add_run_command(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand(
        "run",
        "Send requests to a URL over keep-alive connections; count the answers per replica "
        "(from the /home message), latency percentiles and failures by kind.");
    command->add_option("--url", options->url, "http://HOST[:PORT]/PATH to request")
        ->capture_default_str();
    command->add_option("--requests", options->requests, "requests to send")
        ->check(CLI::Range(std::uint64_t{1}, kMaxRequests))
        ->capture_default_str();
    command
        ->add_option("--concurrency", options->concurrency,
                     "keep-alive connections, each sending its requests one after another")
        ->check(CLI::Range(std::uint32_t{1}, kMaxConcurrency))
        ->capture_default_str();
    command
        ->add_option("--timeout", options->timeout,
                     "per request, connecting included (500ms, 2s, ...)")
        ->capture_default_str();
    command
        ->add_option("--max-seconds", options->max_seconds,
                     "bound on the whole run; requests not done by then are aborted or not sent")
        ->check(CLI::Range(0.001, kMaxSeconds))
        ->capture_default_str();
    command
        ->add_option("--rate", options->rate,
                     "requests per second over all connections; 0 sends as fast as answers come")
        ->check(CLI::Range(0.0, 1e7))
        ->capture_default_str();
    command
        ->add_option("--request-ids", options->request_ids,
                     "the key header's value: random (a 6-digit ID per request, drawn from "
                     "--seed), none (no header), or a comma-separated list of keys sent in turn")
        ->capture_default_str();
    command->add_option(
        "--seed", options->seed,
        "seed for the random IDs; the same seed sends the same IDs as `simulate --key-space "
        "six-digit --seed` places (default: a random seed, reported in --json)");
    command->add_option("--id-header", options->id_header, "the header that carries the key")
        ->capture_default_str();
    command->add_flag("--timeline", options->timeline,
                      "also count the answers per replica in each interval of the run");
    command
        ->add_option("--timeline-interval", options->timeline_interval,
                     "the timeline's interval (250ms, 1s, ...)")
        ->capture_default_str();
    command->add_flag("--json", options->json, "print one JSON object instead of the summary");
    command->add_flag("--quiet", options->quiet, "no progress bar, even on a terminal");
    command->callback([options] {
        const int code = run(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

}  // namespace ringlb::loadgen
