#!/usr/bin/python3
"""ringlb, ringlb --upstream-batch 1, nginx and HAProxy under realistic workloads, in one run.

    bench/proxy/workloads.py [--seconds 5] [--repeat 1] [--connections 64] [--quick] [--json FILE]

ringlb starts three aiohttp replicas (bench/replica/workload_aiohttp.py); nginx and HAProxy are
pointed at those same three (configs nginx.conf.in, haproxy.cfg.in, hashing on X-Request-Id).
ringlb-b1 is the same ringlb with --upstream-batch 1, in front of three replicas of its own (same
program, same settings), since a ringlb owns the replicas it starts. Every contender gets the same
load from `ringlb-load run` (a random X-Request-Id per request), rows in turn:

  uniform     /fast, closed loop: req/s, p99
  slow 1 %    99 % /fast and 1 % /sleep/1000 (1 s): req/s, p99 of /fast
  lognormal   /lognormal/1/50 (median 1 ms, p99 50 ms): req/s, p99
  uneven      /sleep/10 with replica 1 three times slower (?slow=1:3): req/s
  open 50 %   /fast at half the best peer's uniform req/s, open loop: p50, p99 (and how many
              requests waited for a free connection)
  open 90 %   the same at 90 %

Each cell is the median of --repeat runs of --seconds; the runs of a row rotate the contenders'
order. One table: a row per figure, a column per contender, ringlb's ratio to the best of nginx
and HAProxy, and the bar (uniform req/s >= x1.3, other req/s >= x1.0, p99 <= the best peer's).
Where this build of ringlb-load has no --path (the slow row) or no --open-loop (the open rows),
the script says what it ran instead: two loaders side by side, and --rate over many connections.
--quick: about a second per cell and a 200 ms slow route, to keep the harness working."""

import argparse
import contextlib
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402
import compare  # noqa: E402
import ringlb_load  # noqa: E402
import ringlb_replicas  # noqa: E402
import workloads_table as table  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
REPLICA = f"/usr/bin/python3 {ROOT}/bench/replica/workload_aiohttp.py"
UNBATCHED = "ringlb-b1"
CONTENDERS = ("ringlb", UNBATCHED, "nginx", "haproxy")


class Plan:
    """The sizes of one matrix run and what this ringlb-load can do."""

    def __init__(self, args, features):
        self.seconds = args.seconds
        self.connections = args.connections
        self.open_connections = args.open_connections
        self.slow_ms = args.slow_ms
        self.uneven_ms = args.uneven_ms
        self.features = features
        self.capacity = None  # the best peer's uniform req/s, once measured


def closed(url, plan):
    return ringlb_load.run(ringlb_load.command(url, plan.seconds, plan.connections), plan.seconds)


def slow_mix(base, plan):
    """99 % /fast, 1 % the slow route; the figures are all requests' req/s and /fast's latency."""
    slow = f"/sleep/{plan.slow_ms}"
    if plan.features["path"]:
        result = ringlb_load.run(ringlb_load.command(base + "/fast", plan.seconds, plan.connections,
                                                     paths={"/fast": 99, slow: 1}), plan.seconds)
        fast = ringlb_load.find_path(result["paths"], "/fast")
        result["fast_latency"] = fast["latency"] if fast else {}
        return result
    # Without --path: one loader on /fast with the row's connections and, beside it, one sending
    # the slow route at 1/99 of the best peer's uniform req/s (the same rate for every contender)
    # over connections of its own, enough for twice the slow answers in flight at that rate.
    rate = max(plan.capacity or 100.0, 100.0) / 99
    slow_connections = min(256, int(rate * plan.slow_ms / 1000 * 2) + 2)
    slow_run = ringlb_load.start(ringlb_load.command(base + slow, plan.seconds, slow_connections, rate=rate))
    try:
        fast = ringlb_load.run(ringlb_load.command(base + "/fast", plan.seconds, plan.connections), plan.seconds)
        slowed = ringlb_load.finish(slow_run, plan.seconds)
    finally:
        if slow_run.poll() is None:
            slow_run.kill()
            slow_run.communicate()
    kinds = dict(fast["error_kinds"])
    for kind, n in slowed["error_kinds"].items():
        kinds[kind] = kinds.get(kind, 0) + n
    return {"rps": fast["rps"] + slowed["rps"], "errors": fast["errors"] + slowed["errors"],
            "error_kinds": kinds, "latency": fast["latency"], "fast_latency": fast["latency"]}


def open_loop(share):
    def load(url, plan):
        rate = share * plan.capacity
        requests = int(rate * plan.seconds)
        args = ringlb_load.command(url, plan.seconds * 1.5 + 1, plan.open_connections, rate=rate,
                                   open_loop=plan.features["open_loop"], requests=requests)
        return ringlb_load.run(args, plan.seconds * 1.5 + 1)
    return load


def figure(name, get, higher_better, bar):
    return {"name": name, "get": get, "higher_better": higher_better, "bar": bar}


RPS = figure("req/s", lambda r: r["rps"], True, 1.0)
P99 = figure("p99 ms", lambda r: r["latency"]["p99"], False, 1.0)
P50 = figure("p50 ms", lambda r: r["latency"]["p50"], False, None)


def row(label, load, figures, settle=0.0):
    return {"label": label, "load": load, "figures": figures, "settle": settle}


def rows(plan):
    """The matrix, in the order it runs (uniform first: the open rows' rates come from it).
    `settle` is added to the pause after each run, for answers still being served to end."""
    slow = f"/sleep/{plan.slow_ms}"
    mix = "" if plan.features["path"] else " [2 loaders]"
    paced = "open loop" if plan.features["open_loop"] else "paced by --rate"
    # Requests that found every connection busy and waited (an open loop's lateness): not a
    # figure to compare, but a row whose loader ran short of connections is no open loop.
    late = [figure("late reqs", lambda r: r.get("late"), False, None)] if plan.features["open_loop"] else []
    open_figures = [P50, P99, *late]
    return [
        row("uniform /fast", lambda b, p: closed(b + "/fast", p), [dict(RPS, bar=1.3), P99]),
        row(f"1% {slow}{mix}", slow_mix,
            [RPS, figure("p99 /fast ms", lambda r: r["fast_latency"].get("p99"), False, 1.0)],
            settle=plan.slow_ms / 1000),
        row("lognormal 1/50 ms", lambda b, p: closed(b + "/lognormal/1/50", p), [RPS, P99]),
        row(f"replica 1 x3 /sleep/{plan.uneven_ms}",
            lambda b, p: closed(f"{b}/sleep/{p.uneven_ms}?slow=1:3", p), [RPS]),
        row(f"50% {paced}", lambda b, p: open_loop(0.5)(b + "/fast", p), open_figures),
        row(f"90% {paced}", lambda b, p: open_loop(0.9)(b + "/fast", p), open_figures),
    ]


def measure_row(label, load, figures, ports, plan, repeat, settle):
    """{contender: {'values': {figure: median}, 'errors': most of any run}} for one row."""
    runs = {name: [] for name in CONTENDERS}
    for round_ in range(repeat):
        for i in range(len(CONTENDERS)):
            name = CONTENDERS[(round_ + i) % len(CONTENDERS)]
            runs[name].append(load(f"http://127.0.0.1:{ports[name]}", plan))
            time.sleep(settle)
    cells = {}
    for name, results in runs.items():
        values = {}
        for fig in figures:
            got = [v for v in (fig["get"](r) for r in results) if v is not None]
            values[fig["name"]] = statistics.median(got) if got else None
        worst = max(results, key=lambda r: r["errors"])
        cells[name] = {"values": values, "errors": worst["errors"], "error_kinds": worst.get("error_kinds", {})}
    first = figures[0]["name"]
    print(f"  {label}, {first}: " + ", ".join(f"{n} {table.cell_text(c['values'][first])}"
                                              for n, c in cells.items()), file=sys.stderr, flush=True)
    return cells


def warm_up(ports):
    """A short unmeasured run through each contender (its first upstream connections, the
    replicas' first answers); raises when one does not answer every request."""
    for name, port in ports.items():
        result = ringlb_load.run(ringlb_load.command(f"http://127.0.0.1:{port}/fast", 5.0, 8, requests=400), 5.0)
        if result["errors"] or result["succeeded"] < 400:
            raise RuntimeError(f"{name} failed its warm-up: {result['succeeded']} of 400 answered, "
                               f"errors {result['error_kinds']}")


def start_contenders(stack, threads):
    """Starts all four; returns {name: port} and the two ringlbs' Replicas. `stack` stops them.
    One after another: two ringlbs starting slow replicas together can pick the same free port
    for two of them, and the one that binds second is replaced (ringlb_replicas.py)."""
    replica = ["--replica-command", REPLICA]
    ports = {name: benchlib.free_port() for name in CONTENDERS}
    ringlb, _ = compare.start_ringlb(threads, ports["ringlb"], extra_args=replica, ready_timeout=60)
    stack.callback(ringlb.stop)
    shared = ringlb_replicas.Replicas("ringlb", ringlb.log_path)
    addresses = shared.settle()
    unbatched, _ = compare.start_ringlb(threads, ports[UNBATCHED], ready_timeout=60,
                                        extra_args=["--upstream-batch", "1", *replica])
    stack.callback(unbatched.stop)
    own = ringlb_replicas.Replicas(UNBATCHED, unbatched.log_path)
    own.settle()
    stack.enter_context(benchlib.nginx(compare.nginx_config(ports["nginx"], addresses), ports["nginx"], threads))
    stack.enter_context(compare.start_haproxy(ports["haproxy"], addresses, threads))
    warm_up(ports)
    return ports, [shared, own]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="per run (cell and repeat)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the median is kept")
    parser.add_argument("--connections", type=int, default=64, help="closed-loop connections")
    parser.add_argument("--open-connections", type=int, default=256, help="connections of the open-loop rows")
    parser.add_argument("--slow-ms", type=int, default=1000, help="the slow route of the 1 %% row")
    parser.add_argument("--uneven-ms", type=int, default=10, help="service time of the uneven row")
    parser.add_argument("--threads", type=int, default=1, help="of each proxy")
    parser.add_argument("--quick", action="store_true", help="about a second per cell: checks the harness")
    parser.add_argument("--json", help="also write the table's figures here")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.repeat, args.connections, args.open_connections = 1.0, 1, 16, 32
        args.slow_ms, args.uneven_ms = 200, 5
    return args


def main():
    args = parse_args()
    plan = Plan(args, ringlb_load.features())
    settle = 0.2 if args.quick else 0.5
    print(f"workloads: 3 aiohttp replicas, {args.threads} proxy thread(s), {args.connections} connections "
          f"(open loop: {args.open_connections}), {args.seconds:g} s per run, median of {args.repeat}; "
          f"ringlb-load --path: {'yes' if plan.features['path'] else 'no'}, "
          f"--open-loop: {'yes' if plan.features['open_loop'] else 'no'}", flush=True)
    matrix = []
    with contextlib.ExitStack() as stack:
        ports, replica_sets = start_contenders(stack, args.threads)
        for spec in rows(plan):
            label, figures = spec["label"], spec["figures"]
            cells = measure_row(label, spec["load"], figures, ports, plan, args.repeat, settle + spec["settle"])
            for replicas in replica_sets:
                replicas.check()
            if plan.capacity is None:
                plan.capacity = max(cells[p]["values"]["req/s"] for p in table.PEERS)
                label += f" (peak {plan.capacity:.0f}/s)"
            matrix.append({"row": label, "figures": figures, "cells": cells})
    for line in table.format_table(matrix, CONTENDERS):
        print(line)
    errors = table.errors_seen(matrix)
    for line in errors:
        print(f"errors: {line}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table.to_json(matrix, args), f, indent=2)
    return 1 if errors and args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
