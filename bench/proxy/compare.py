#!/usr/bin/python3
"""ringlb, nginx and HAProxy in front of the same three replicas, in one run.

    bench/proxy/compare.py [--threads 1 2] [--seconds 10] [--repeats 3] [--connections 64]
                           [--replica ringlb-server|nginx|gunicorn]

The replicas are ringlb-server, or, started by ringlb through --replica-command, one nginx each
(examples/nginx/replica.sh: a server ringlb did not write, which keeps connections alive) or one
gunicorn with two sync workers each (examples/gunicorn: a server that closes every connection).

For each thread count: ringlb starts three replicas (process driver); nginx and HAProxy are then
configured with those same replica addresses (configs: nginx.conf.in, haproxy.cfg.in, see
bench/README.md). A fourth contender, ringlb-b1, is the same ringlb with --upstream-batch 1 (each
request on its own replica connection, as the peers send them) on three replicas of its own, so
the table shows what sending requests together is worth. All run together; each in turn gets wrk with a random X-Request-Id per
request and keep-alive connections, in rounds that rotate the order (benchlib.interleaved_medians).
The medians of the repeats are printed with ringlb's ratio to the best of the others. --quick runs a few seconds in all, so CI keeps the harness working."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "random_request_id.lua")
UNBATCHED = "ringlb-b1"
EXAMPLES = os.path.abspath(os.path.join(HERE, "..", "..", "examples"))
REPLICA_COMMANDS = {
    "ringlb-server": [],
    "nginx": ["--replica-command", os.path.join(EXAMPLES, "nginx", "replica.sh")],
    "gunicorn": ["--replica-command",
                 f"gunicorn --workers 2 --bind {{host}}:{{port}} --chdir {EXAMPLES}/flask server:app"],
}


def start_ringlb(threads, port, env=None, extra_args=(), ready_timeout=10.0):
    """ringlb with its three replicas; returns (daemon, replica addresses). The daemon's
    log_path is its log (stderr), which the caller may read."""
    log = tempfile.NamedTemporaryFile(prefix="ringlb-bench-", suffix=".log", delete=False)
    daemon = benchlib.Daemon([os.path.join(benchlib.BIN_DIR, "ringlb"), "--host", "127.0.0.1",
                              "--port", str(port), "--threads", str(threads), "--replicas", "3",
                              *extra_args],
                             port, env=env, stderr=log, ready_timeout=ready_timeout)
    daemon.log_path = log.name

    def addresses():
        with open(log.name) as f:
            found = re.findall(r"event=replica_started name=\S+ id=\d+ address=(\S+)", f.read())
        return found if len(found) >= 3 else None

    try:
        return daemon, benchlib.wait_until(addresses, 30, what="ringlb to report its three replicas")
    except AssertionError:
        daemon.stop()
        raise RuntimeError("ringlb did not report its three replicas") from None


def nginx_config(port, addresses):
    with open(os.path.join(HERE, "nginx.conf.in")) as f:
        template = f.read()
    servers = "\n".join(f"        server {a};" for a in addresses)
    return template.replace("@PORT@", str(port)).replace("@SERVERS@", servers)


def start_haproxy(port, addresses, threads, maxconn=8000):
    with open(os.path.join(HERE, "haproxy.cfg.in")) as f:
        template = f.read()
    servers = "\n".join(f"    server r{i} {a}" for i, a in enumerate(addresses, 1))
    config = (template.replace("@PORT@", str(port)).replace("@SERVERS@", servers)
              .replace("@THREADS@", str(threads)).replace("@MAXCONN@", str(maxconn)))
    path = os.path.join(tempfile.mkdtemp(prefix="ringlb-bench-haproxy-"), "haproxy.cfg")
    with open(path, "w") as f:
        f.write(config)
    return benchlib.Daemon(["haproxy", "-db", "-f", path], port)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="1 s runs, 1 repeat, 1 thread: checks the harness")
    parser.add_argument("--replica", choices=sorted(REPLICA_COMMANDS), default="ringlb-server",
                        help="the replicas: ringlb-server, or nginx or gunicorn through --replica-command")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if args.quick:
        args.threads, args.seconds, args.repeats = [1], 1, 1

    replica_args = REPLICA_COMMANDS[args.replica]
    rows = []
    print(f"replicas: {args.replica}")
    print(f"{'threads':>7}  {'proxy':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for threads in args.threads:
        port, nginx_port, haproxy_port = benchlib.free_port(), benchlib.free_port(), benchlib.free_port()
        unbatched_port = benchlib.free_port()
        ringlb, addresses = start_ringlb(threads, port, extra_args=replica_args)
        # The same build with --upstream-batch 1 (every request on its own replica connection, as
        # nginx and HAProxy send them), on three replicas of its own: shows what batching gives.
        unbatched = None
        try:
            unbatched, _ = start_ringlb(threads, unbatched_port,
                                        extra_args=["--upstream-batch", "1", *replica_args])
            with benchlib.nginx(nginx_config(nginx_port, addresses), nginx_port, threads), \
                    start_haproxy(haproxy_port, addresses, threads):
                urls = {"ringlb": port, "nginx": nginx_port, "haproxy": haproxy_port,
                        UNBATCHED: unbatched_port}
                results = benchlib.interleaved_medians(
                    {name: f"http://127.0.0.1:{p}/home" for name, p in urls.items()},
                    args.seconds, args.repeats, connections=args.connections, script=SCRIPT)
        finally:
            ringlb.stop()
            if unbatched:
                unbatched.stop()
        for name, r in results.items():
            print(f"{threads:>7}  {name:<9} {r['rps']:>9.0f} {r['p50']:>8.3f} {r['p99']:>8.3f} {r['errors']:>7.0f}")
        best = max(("nginx", "haproxy"), key=lambda n: results[n]["rps"])
        ratio = results["ringlb"]["rps"] / results[best]["rps"]
        p99_ratio = results["ringlb"]["p99"] / min(results["nginx"]["p99"], results["haproxy"]["p99"])
        print(f"{threads:>7}  ringlb / best peer ({best}): req/s x{ratio:.2f}, p99 x{p99_ratio:.2f}")
        batch_ratio = results["ringlb"]["rps"] / results[UNBATCHED]["rps"]
        batch_p99 = results["ringlb"]["p99"] / results[UNBATCHED]["p99"]
        print(f"{threads:>7}  ringlb / {UNBATCHED} (--upstream-batch 1): req/s x{batch_ratio:.2f}, p99 x{batch_p99:.2f}")
        rows.append({"threads": threads, "replica": args.replica, "results": results, "best_peer": best, "rps_ratio": ratio,
                     "p99_ratio": p99_ratio, "batching_rps_ratio": batch_ratio})
        if any(r["errors"] for r in results.values()):
            print("errors seen: the figures above are not comparable", file=sys.stderr)
            return 1
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
