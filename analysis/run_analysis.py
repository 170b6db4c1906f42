#!/usr/bin/python3
"""A-1..A-4: runs every experiment against a ringlb it starts itself, draws the figures and writes
docs/analysis.md. `make analysis` runs it at full size; `--quick` is the small CI version.

Usage: run_analysis.py [--quick] [--out DIR] [--bin-dir DIR] [--driver process|docker]"""

import argparse
import datetime
import json
import os
import sys
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import charts  # noqa: E402
import experiments  # noqa: E402
from balancer import AnalysisError, make_driver, require_binary  # noqa: E402
from configs import ASSIGNMENT, CONFIGS, DEFAULT  # noqa: E402
import report  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class FailureSettings:
    rate: float        # requests per second during the kill experiment
    duration: float    # seconds of load
    kill_after: float  # seconds into the load
    interval: float    # timeline bin, seconds


@dataclass
class Settings:
    bin_dir: str
    driver: object
    quick: bool
    requests: int
    replica_counts: tuple
    concurrency: int
    seed: int
    keyspace_keys: int
    failure: FailureSettings


FULL = dict(requests=10000, replica_counts=(2, 3, 4, 5, 6), keyspace_keys=1_000_000,
            failure=FailureSettings(rate=1000, duration=8, kill_after=3, interval=0.1))
QUICK = dict(requests=500, replica_counts=(2, 3), keyspace_keys=200_000,
             failure=FailureSettings(rate=250, duration=3, kill_after=1, interval=0.1))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 requests, N = 2..3 (for CI)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"),
                        help="writes OUT/analysis.md and OUT/analysis/ (default: docs/)")
    parser.add_argument("--bin-dir", default=os.environ.get("RINGLB_BIN_DIR",
                                                            os.path.join(ROOT, "build", "bin")))
    parser.add_argument("--driver", default=os.environ.get("ANALYSIS_DRIVER", "process"),
                        choices=("process", "docker"))
    parser.add_argument("--seed", type=int, default=1, help="seed of the request IDs")
    parser.add_argument("--concurrency", type=int, default=16, help="connections per run")
    parser.add_argument("--from-results", metavar="FILE",
                        help="redraw the figures and rewrite the report from a results.json this "
                             "script wrote, without running the experiments")
    return parser.parse_args(argv)


def log(message):
    print(f"analysis: {message}", file=sys.stderr, flush=True)


def measure_all(args):
    """Runs every experiment; returns the results as results.json holds them."""
    bin_dir = os.path.abspath(args.bin_dir)
    for name in ("ringlb", "ringlb-load"):
        require_binary(bin_dir, name)
    sizes = QUICK if args.quick else FULL
    settings = Settings(bin_dir=bin_dir, driver=make_driver(args.driver), quick=args.quick,
                        concurrency=args.concurrency, seed=args.seed, **sizes)
    if 3 not in settings.replica_counts:
        raise AnalysisError("the replica counts must include 3 (A-1)")
    grid = experiments.distribution_grid(settings, CONFIGS, log)
    log("A-3: the endpoints")
    endpoints = experiments.exercise_endpoints(settings, DEFAULT)
    log("A-3: a replica killed under load")
    failover = experiments.failover(settings, DEFAULT)
    return {
        "settings": {"quick": settings.quick, "driver": settings.driver.name,
                     "requests": settings.requests, "replica_counts": list(settings.replica_counts),
                     "concurrency": settings.concurrency, "seed": settings.seed,
                     "keyspace_keys": settings.keyspace_keys,
                     "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")},
        "grid": grid,
        "a3": {"endpoints": endpoints, "failover": failover},
    }


def load_results(path):
    with open(path) as f:
        results = json.load(f)
    # JSON object keys are strings; the replica counts are numbers everywhere else.
    results["grid"] = {config.key: {int(n): m for n, m in results["grid"][config.key].items()}
                       for config in CONFIGS if config.key in results["grid"]}
    return results


def write_outputs(results, out_dir, source=None):
    """Figures, results.json (unless `source`, the file the results came from, is it) and the report."""
    grid = results["grid"]
    requests = results["settings"]["requests"]
    failover = results["a3"]["failover"]
    labels = {c.key: c.label for c in CONFIGS}
    figures = os.path.join(out_dir, "analysis")
    os.makedirs(figures, exist_ok=True)
    charts.requests_per_replica(
        os.path.join(figures, "a1_requests_per_replica.png"), grid[ASSIGNMENT.key][3],
        f"A-1: {requests} requests on N = 3 ({ASSIGNMENT.label})")
    charts.load_vs_replicas(
        os.path.join(figures, "a2_load_vs_replicas.png"), grid[ASSIGNMENT.key],
        f"A-2: load per replica, {requests} requests per N ({ASSIGNMENT.label})")
    charts.failover_timeline(os.path.join(figures, "a3_failover_timeline.png"), failover)
    charts.shares_by_config(
        os.path.join(figures, "a4_shares_n3.png"), {k: grid[k][3] for k in grid}, labels,
        f"A-4: share of each replica at N = 3, {requests} requests, same keys")
    charts.spread_by_config(
        os.path.join(figures, "a4_spread_by_config.png"), grid, labels,
        f"A-4: load per replica against N, {requests} requests per run, same keys")
    results_path = os.path.join(figures, "results.json")
    rewriting_source = (source is not None and os.path.exists(results_path)
                        and os.path.samefile(results_path, source))
    if not rewriting_source:
        with open(results_path, "w") as f:
            json.dump(results, f, indent=1)
            f.write("\n")
    report.write(os.path.join(out_dir, "analysis.md"), results, labels, ASSIGNMENT.key,
                 "its default algorithm, maglev-incremental,")
    log(f"wrote {os.path.join(out_dir, 'analysis.md')} and {figures}/")


def run(args):
    if args.from_results:
        write_outputs(load_results(args.from_results), os.path.abspath(args.out), args.from_results)
    else:
        write_outputs(measure_all(args), os.path.abspath(args.out))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except AnalysisError as error:
        print(f"analysis: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
