// pick() cost and table build time per algorithm at N = 3, 100 and 1000 replicas.

#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "hashing/build_table.hpp"

namespace ringlb::hashing {
namespace {

std::vector<Member> replicas(std::int64_t count) {
    std::vector<Member> members;
    for (std::int64_t i = 0; i < count; ++i) {
        members.push_back({.id = static_cast<std::uint32_t>(i + 1), .weight = 1});
    }
    return members;
}

Config config_for(Algorithm algorithm) {
    Config config;
    config.algorithm = algorithm;
    if (algorithm == Algorithm::kClassic) {
        // The assignment's M = 512 holds 56 replicas; scale M with N (K = 9 as in the
        // assignment) and use strong functions so lookups land everywhere.
        config.classic.slots = 1U << 14U;
        config.classic.functions = ClassicFunctions::kXxh3;
    }
    return config;
}

// Keys drawn up front, so the loop measures pick() and not the generator; 4096 random keys
// defeat the branch predictor and spread over the whole table.
void bench_pick(benchmark::State& state, Algorithm algorithm) {
    const auto table = build_table(config_for(algorithm), replicas(state.range(0)));
    std::mt19937_64 engine(1);
    std::vector<Key> keys(4096);
    for (Key& key : keys) {
        key = engine();
    }
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(table->pick(keys[i]));
        i = (i + 1) & (keys.size() - 1);
    }
}

// The failover path: the owner is down, so the walk goes on to the next distinct member.
void bench_pick_first_owner_down(benchmark::State& state, Algorithm algorithm) {
    const auto table = build_table(config_for(algorithm), replicas(state.range(0)));
    std::mt19937_64 engine(2);
    std::vector<Key> keys(4096);
    for (Key& key : keys) {
        key = engine();
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const Key key = keys[i];
        const MemberIndex down = table->pick(key).value();
        benchmark::DoNotOptimize(
            pick_first(*table, key, [down](MemberIndex m) { return m != down; }));
        i = (i + 1) & (keys.size() - 1);
    }
}

void bench_build(benchmark::State& state, Algorithm algorithm) {
    const auto members = replicas(state.range(0));
    const Config config = config_for(algorithm);
    for (auto _ : state) {
        benchmark::DoNotOptimize(build_table(config, members));
    }
}

// Incremental Maglev's real build: the previous table with one replica fewer.
void bench_build_incremental_add(benchmark::State& state) {
    const auto members = replicas(state.range(0));
    const Config config = config_for(Algorithm::kMaglevIncremental);
    const auto previous = build_table(config, replicas(state.range(0) - 1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(build_table(config, members, previous.get()));
    }
}

void sizes(benchmark::internal::Benchmark* bench) {
    bench->Arg(3)->Arg(100)->Arg(1000);
}

BENCHMARK_CAPTURE(bench_pick, classic, Algorithm::kClassic)->Apply(sizes);
BENCHMARK_CAPTURE(bench_pick, ring, Algorithm::kRing)->Apply(sizes);
BENCHMARK_CAPTURE(bench_pick, maglev, Algorithm::kMaglev)->Apply(sizes);
BENCHMARK_CAPTURE(bench_pick, maglev_incremental, Algorithm::kMaglevIncremental)->Apply(sizes);
BENCHMARK_CAPTURE(bench_pick_first_owner_down, ring, Algorithm::kRing)->Apply(sizes);
BENCHMARK_CAPTURE(bench_pick_first_owner_down, maglev_incremental, Algorithm::kMaglevIncremental)
    ->Apply(sizes);
BENCHMARK_CAPTURE(bench_build, classic, Algorithm::kClassic)
    ->Apply(sizes)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bench_build, ring, Algorithm::kRing)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bench_build, maglev, Algorithm::kMaglev)
    ->Apply(sizes)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(bench_build_incremental_add)->Apply(sizes)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ringlb::hashing
