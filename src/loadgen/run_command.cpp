#include "loadgen/run_command.hpp"

#include <cmath>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

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
constexpr std::size_t kMaxPaths = 1'000;

struct RunOptions {
    std::string url = "http://127.0.0.1:5000/home";
    std::vector<std::string> paths;
    std::uint64_t requests = RunParams{}.requests;
    std::uint32_t concurrency = RunParams{}.concurrency;
    std::string timeout = net::format_duration(RunParams{}.timeout);
    double max_seconds = std::chrono::duration<double>(RunParams{}.max_duration).count();
    double rate = 0.0;
    bool open_loop = false;
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

std::vector<WeightedPath> path_mix_option(const std::vector<std::string>& values) {
    if (values.size() > kMaxPaths) {
        throw CLI::ValidationError("--path", "at most " + std::to_string(kMaxPaths) +
                                                 " paths, got " + std::to_string(values.size()));
    }
    std::vector<WeightedPath> mix;
    for (const std::string& value : values) {
        auto parsed = parse_weighted_path(value);
        if (const auto* error = std::get_if<std::string>(&parsed)) {
            throw CLI::ValidationError("--path", *error);
        }
        mix.push_back(std::move(std::get<WeightedPath>(parsed)));
    }
    if (const auto problem = mix_problem(mix)) {
        throw CLI::ValidationError("--path", *problem);
    }
    return mix;
}

RunParams params_from(const RunOptions& options) {
    RunParams params;
    const auto url = net::parse_http_url(options.url);
    if (!url) {
        throw CLI::ValidationError("--url",
                                   "expected http://HOST[:PORT]/PATH, got '" + options.url + "'");
    }
    params.url = *url;
    params.paths = path_mix_option(options.paths);
    params.requests = options.requests;
    params.concurrency = options.concurrency;
    params.timeout = duration_option("--timeout", options.timeout);
    params.max_duration = std::chrono::milliseconds(std::llround(options.max_seconds * 1000.0));
    params.rate = options.rate;
    if (options.open_loop && options.rate <= 0) {
        throw CLI::ValidationError("--open-loop", "needs --rate R, requests per second, above 0");
    }
    params.open_loop = options.open_loop;
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

// What to request, how many, over how many connections, and how fast.
void add_load_options(CLI::App* command, RunOptions& options) {
    command
        ->add_option("--url", options.url,
                     "http://HOST[:PORT]/PATH to request; its PATH only when no --path is given")
        ->capture_default_str();
    command
        ->add_option("--path", options.paths,
                     "PATH[=WEIGHT]: a path to request, with its weight (1.." +
                         std::to_string(kMaxPathWeight) +
                         ", default 1); repeat for a mix, e.g. --path /fast=99 --path /slow=1. "
                         "Each request draws its path by weight from --seed")
        ->allow_extra_args(false);
    command->add_option("--requests", options.requests, "requests to send")
        ->check(CLI::Range(std::uint64_t{1}, kMaxRequests))
        ->capture_default_str();
    command
        ->add_option("--concurrency", options.concurrency,
                     "keep-alive connections, each sending its requests one after another")
        ->check(CLI::Range(std::uint32_t{1}, kMaxConcurrency))
        ->capture_default_str();
    command
        ->add_option("--timeout", options.timeout,
                     "per request, connecting included (500ms, 2s, ...)")
        ->capture_default_str();
    command
        ->add_option("--max-seconds", options.max_seconds,
                     "bound on the whole run; requests not done by then are aborted or not sent")
        ->check(CLI::Range(0.001, kMaxSeconds))
        ->capture_default_str();
    command
        ->add_option("--rate", options.rate,
                     "requests per second over all connections; 0 sends as fast as answers come")
        ->check(CLI::Range(0.0, 1e7))
        ->capture_default_str();
    command->add_flag(
        "--open-loop", options.open_loop,
        "with --rate: send each request at its scheduled time on a free connection, or as soon "
        "as one is free, whatever the answers do; latency runs from the scheduled time, and the "
        "requests that waited for a connection are reported (without it: each connection sends "
        "its next request once it has an answer)");
}

// The keys the requests carry, and what the report shows.
void add_key_and_report_options(CLI::App* command, RunOptions& options) {
    command
        ->add_option("--request-ids", options.request_ids,
                     "the key header's value: random (a 6-digit ID per request, drawn from "
                     "--seed), none (no header), or a comma-separated list of keys sent in turn")
        ->capture_default_str();
    command->add_option(
        "--seed", options.seed,
        "seed for the random IDs and the paths' draw; the same seed sends the same IDs as "
        "`simulate --key-space six-digit --seed` places, and the same paths in the same order "
        "(default: a random seed, reported in --json)");
    command->add_option("--id-header", options.id_header, "the header that carries the key")
        ->capture_default_str();
    command->add_flag("--timeline", options.timeline,
                      "also count the answers per replica in each interval of the run");
    command
        ->add_option("--timeline-interval", options.timeline_interval,
                     "the timeline's interval (250ms, 1s, ...)")
        ->capture_default_str();
    command->add_flag("--json", options.json, "print one JSON object instead of the summary");
    command->add_flag("--quiet", options.quiet, "no progress bar, even on a terminal");
}

}  // namespace

void add_run_command(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand(
        "run",
        "Send requests to a URL, or to a weighted mix of its server's paths, over keep-alive "
        "connections, in a closed loop or (--open-loop) at a fixed rate; count the answers per "
        "replica (from the /home message), latency percentiles overall and per path, and "
        "failures by kind.");
    add_load_options(command, *options);
    add_key_and_report_options(command, *options);
    command->callback([options] {
        const int code = run(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

}  // namespace ringlb::loadgen
