#!/usr/bin/python3
"""ringlb-server against nginx serving the same /home body, same thread count, same run.

    bench/replica/compare_nginx.py [--seconds 5] [--repeats 3] [--threads 1 2]

Prints requests/s and latency for each, and ringlb-server's ratio to nginx."""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402

BODY = '{"message": "Hello from Server: 1", "status": "successful"}'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    seconds = max(1, int(args.seconds))

    print(f"{'threads':>7} {'server':<14} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for threads in args.threads:
        port, nginx_port = benchlib.free_port(), benchlib.free_port()
        config = f"""server {{
        listen 127.0.0.1:{nginx_port} reuseport backlog=4096;
        keepalive_requests 1000000;
        location = /home {{ default_type application/json; return 200 '{BODY}'; }}
    }}"""
        with benchlib.Daemon([os.path.join(benchlib.BIN_DIR, "ringlb-server"), "--id", "1",
                              "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)], port), \
                benchlib.nginx(config, nginx_port, threads):
            results = benchlib.interleaved_medians(
                {"ringlb-server": f"http://127.0.0.1:{port}/home", "nginx": f"http://127.0.0.1:{nginx_port}/home"},
                seconds, args.repeats, connections=args.connections)
        for name, r in results.items():
            print(f"{threads:>7} {name:<14} {r['rps']:>10.0f} {r['p50']:>8.3f} {r['p99']:>8.3f} {r['errors']:>7.0f}")
        ratio = results["ringlb-server"]["rps"] / results["nginx"]["rps"]
        print(f"{threads:>7} ratio ringlb-server / nginx (req/s): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
