"""Shared pieces of ringlb's benchmark programs: processes, nginx configs, wrk runs.

Every benchmark runs its contenders in one process of this file's users, on 127.0.0.1, bounded in
time, and reports ratios measured in the same run (absolute figures on shared machines drift)."""

import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "pylib"))

# The process helpers are shared with the tests and the analysis; the bench programs use them
# through this module.
from ringlb_procs import BIN_DIR, Daemon, free_port, wait_until  # noqa: E402,F401


def nginx(config_body, port, workers):
    """Starts nginx in the foreground with a private prefix and the given `http {}` body."""
    prefix = tempfile.mkdtemp(prefix="ringlb-bench-nginx-")
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off;
master_process on;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log crit;
events {{ worker_connections 20000; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {prefix};
    proxy_temp_path {prefix};
    fastcgi_temp_path {prefix};
    uwsgi_temp_path {prefix};
    scgi_temp_path {prefix};
    {config_body}
}}
""")
    return Daemon(["nginx", "-p", prefix, "-c", conf], port)


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections=64, threads=1, script=None):
    """Runs wrk once; returns {'rps': float, 'p50': ms, 'p99': ms, 'errors': int}."""
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=seconds + 30,
                         check=True).stdout
    latency = {p: float(v) * UNIT[u] for p, v, u in WRK_LATENCY.findall(out)}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(WRK_RPS.search(out).group(1)), "p50": latency.get("50"),
            "p99": latency.get("99"), "errors": errors + (int(non2xx.group(1)) if non2xx else 0)}


def interleaved_medians(urls, seconds, repeats, **kwargs):
    """Drives every {name: url} with wrk, `repeats` rounds of one run each, and returns
    {name: medians of 'rps', 'p50', 'p99', and the most 'errors' of any run}.

    The runs are interleaved (round 1: a, b, c; round 2: b, c, a; ...) rather than all of one
    contender's before the next one's, so a machine whose speed drifts during the benchmark (other
    work, thermal or host effects) shifts every contender alike instead of favouring whichever ran
    in its faster stretch. Every contender must be running for the whole time; an idle one costs
    the others nothing but memory."""
    names = list(urls)
    runs = {name: [] for name in names}
    for round_ in range(repeats):
        for i in range(len(names)):
            name = names[(round_ + i) % len(names)]
            runs[name].append(wrk(urls[name], seconds, **kwargs))
    return {name: {"rps": statistics.median(r["rps"] for r in rs),
                   "p50": statistics.median(r["p50"] for r in rs),
                   "p99": statistics.median(r["p99"] for r in rs),
                   "errors": max(r["errors"] for r in rs)}
            for name, rs in runs.items()}
