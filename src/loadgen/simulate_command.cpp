#include "loadgen/simulate_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hashing/config.hpp"
#include "hashing/member.hpp"
#include "loadgen/simulation.hpp"
#include "loadgen/simulation_report.hpp"

namespace ringlb::loadgen {

namespace {

struct SimulateOptions {
    std::vector<std::string> algorithms{"default"};
    std::vector<std::uint32_t> replicas{3};
    std::uint64_t keys = 1'000'000;
    std::uint64_t seed = 1;
    std::string key_space = "uniform";
    bool json = false;
    std::uint32_t classic_slots = hashing::ClassicParams{}.slots;
    std::uint32_t classic_virtual_servers = hashing::ClassicParams{}.virtual_servers;
    std::string classic_functions{
        hashing::classic_functions_name(hashing::ClassicParams{}.functions)};
    std::string classic_probing{hashing::probing_name(hashing::ClassicParams{}.probing)};
    std::uint32_t ring_virtual_nodes = hashing::RingParams{}.virtual_nodes;
    std::uint32_t maglev_table_size = hashing::MaglevParams{}.table_size;
};

template <class T>
T parsed_or_throw(const hashing::Parsed<T>& parsed) {
    if (!parsed) {
        throw CLI::ValidationError(parsed.error());
    }
    return parsed.value();
}

hashing::Config base_config(const SimulateOptions& options) {
    hashing::Config config;
    config.classic = {
        .slots = options.classic_slots,
        .virtual_servers = options.classic_virtual_servers,
        .functions = parsed_or_throw(hashing::parse_classic_functions(options.classic_functions)),
        .probing = parsed_or_throw(hashing::parse_probing(options.classic_probing))};
    config.ring.virtual_nodes = options.ring_virtual_nodes;
    config.maglev.table_size = options.maglev_table_size;
    return config;
}

KeySpace parse_key_space(const std::string& name) {
    if (name == "uniform") {
        return KeySpace::kUniform;
    }
    if (name == "six-digit") {
        return KeySpace::kSixDigit;
    }
    throw CLI::ValidationError("--key-space must be uniform or six-digit, got '" + name + "'");
}

void run(const SimulateOptions& options) {
    const hashing::Config base = base_config(options);
    const KeySpace key_space = parse_key_space(options.key_space);
    std::vector<SimulationRun> runs;
    for (const std::string& name : options.algorithms) {
        hashing::Config config = base;
        config.algorithm = parsed_or_throw(hashing::parse_algorithm(name));
        for (const std::uint32_t replicas : options.replicas) {
            SimulationParams params{.config = config,
                                    .replicas = replicas,
                                    .keys = options.keys,
                                    .seed = options.seed,
                                    .key_space = key_space};
            SimulationResult result;
            try {
                result = simulate(params);
            } catch (const std::invalid_argument& error) {
                throw CLI::ValidationError(error.what());
            }
            runs.push_back({.algorithm = std::string(hashing::algorithm_name(config.algorithm)),
                            .params = params,
                            .result = std::move(result)});
        }
    }
    if (options.json) {
        print_json(std::cout, runs);
    } else {
        print_table(std::cout, runs);
    }
}

}  // namespace

void add_simulate_command(CLI::App& app) {
    auto options = std::make_shared<SimulateOptions>();
    CLI::App* command = app.add_subcommand(
        "simulate",
        "Run hash algorithms offline on seeded keys: per-replica shares, peak-to-mean, standard "
        "deviation, and the keys moved when one replica is removed and one added.");
    command
        ->add_option("--algorithm", options->algorithms,
                     "classic, ring, maglev, maglev-incremental or default; several, "
                     "comma-separated, for one row each")
        ->delimiter(',')
        ->capture_default_str();
    command
        ->add_option("--replicas", options->replicas,
                     "replica count N (server IDs 1..N); several, comma-separated, for a sweep")
        ->delimiter(',')
        ->check(CLI::Range(1U, hashing::kMaxMembers - 1U))
        ->capture_default_str();
    command->add_option("--keys", options->keys, "keys to place")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--seed", options->seed, "seed for the keys and the removed replica")
        ->capture_default_str();
    command
        ->add_option("--key-space", options->key_space,
                     "uniform (64-bit keys) or six-digit (the assignment's request IDs)")
        ->capture_default_str();
    command->add_flag("--json", options->json, "one JSON object per run instead of a table");
    command->add_option("--classic-slots", options->classic_slots, "classic: slots M")
        ->capture_default_str();
    command
        ->add_option("--classic-virtual-servers", options->classic_virtual_servers,
                     "classic: virtual servers K per replica")
        ->capture_default_str();
    command
        ->add_option("--classic-functions", options->classic_functions,
                     "classic: H and Φ: assignment, splitmix or xxh3")
        ->capture_default_str();
    command->add_option("--classic-probing", options->classic_probing, "linear or quadratic")
        ->capture_default_str();
    command
        ->add_option("--ring-virtual-nodes", options->ring_virtual_nodes,
                     "ring: points per replica")
        ->capture_default_str();
    command
        ->add_option("--maglev-table-size", options->maglev_table_size,
                     "maglev: table size (prime)")
        ->capture_default_str();
    command->callback([options] { run(*options); });
}

}  // namespace ringlb::loadgen
