"""Runs `ringlb-load run` and `ringlb-load simulate` and returns their JSON."""

import json
import subprocess

from balancer import AnalysisError, require_binary

# Generous bounds: a run that needs more than this is broken, not slow.
RUN_TIMEOUT = 600


def run_load(bin_dir, url, requests, seed, concurrency=16, extra=()):
    """One `ringlb-load run --json`; returns its report. Failed requests are data, so only a run
    that did not produce a report raises."""
    args = [require_binary(bin_dir, "ringlb-load"), "run", "--url", url, "--requests", str(requests),
            "--concurrency", str(concurrency), "--seed", str(seed), "--json", "--quiet",
            "--max-seconds", str(RUN_TIMEOUT // 2), *extra]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if not proc.stdout.strip():
        raise AnalysisError(f"ringlb-load run produced no report: {proc.stderr}")
    return json.loads(proc.stdout)


def simulate(bin_dir, simulate_flags, replica_counts, keys, seed):
    """`ringlb-load simulate --json` on six-digit keys: {N: result} for each replica count."""
    args = [require_binary(bin_dir, "ringlb-load"), "simulate", *simulate_flags,
            "--replicas", ",".join(str(n) for n in replica_counts), "--keys", str(keys),
            "--seed", str(seed), "--key-space", "six-digit", "--json"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if proc.returncode != 0:
        raise AnalysisError(f"ringlb-load simulate failed: {proc.stderr}")
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {r["replicas"]: r for r in results}
