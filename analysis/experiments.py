"""The experiments A-1..A-4: each starts its own ringlb, drives it and returns plain data."""

import json
import threading
import time

import loadgen
import stats
from balancer import AnalysisError, Balancer

# A-3's calls, in order: every endpoint of docs/contract.md, the failures included. Each is
# (method, path, JSON payload or None).
ENDPOINT_CALLS = (
    ("GET", "/rep", None),
    ("GET", "/home", None),
    ("POST", "/add", {"n": 2, "hostnames": ["S5", "S4"]}),
    ("GET", "/rep", None),
    ("POST", "/add", {"n": 1, "hostnames": ["S6", "S7"]}),
    ("DELETE", "/rm", {"n": 1, "hostnames": ["S5"]}),
    ("DELETE", "/rm", {"n": 1}),
    ("DELETE", "/rm", {"n": 1, "hostnames": ["S4", "server-1"]}),
    ("GET", "/rep", None),
    ("GET", "/other", None),
    ("GET", "/heartbeat", None),
    ("GET", "/metrics", None),
)
# The /metrics answer is long; the report shows the lines that matter here.
METRICS_SHOWN = ("ringlb_replicas ", "ringlb_replica_up", "ringlb_ring_share", "ringlb_requests_total")


def replicas_of(balancer):
    status, body = balancer.request("GET", "/rep")
    if status != 200:
        raise AnalysisError(f"GET /rep answered {status}: {body}")
    return json.loads(body)["message"]["replicas"]


def measure(settings, config, n, simulated, keyspace):
    """Sends settings.requests requests with random 6-digit IDs to a fresh ringlb with n replicas
    and compares the answers per replica with simulate's prediction for the same keys."""
    with Balancer(settings.bin_dir, settings.driver, n, config.ringlb_flags) as balancer:
        replicas = replicas_of(balancer)
        run = loadgen.run_load(settings.bin_dir, balancer.url("/home"), settings.requests,
                               settings.seed, settings.concurrency)
    counts, strays = stats.counts_by_server(run["replicas"], n)
    predicted = stats.predicted_counts(simulated[n]["shares"], settings.requests)
    return {
        "replicas": replicas,
        "run": run,
        "counts": counts,
        "strays": strays,
        "spread": stats.spread(counts),
        "predicted": predicted,
        "compare": stats.compare(counts, predicted),
        "keyspace_shares": keyspace[n]["shares"],
        "consistent": stats.run_totals_consistent(run),
    }


def distribution_grid(settings, configs, log):
    """Every configuration at every replica count: {config key: {n: measurement}}."""
    grid = {}
    for config in configs:
        simulated = loadgen.simulate(settings.bin_dir, config.simulate_flags, settings.replica_counts,
                                     settings.requests, settings.seed)
        keyspace = loadgen.simulate(settings.bin_dir, config.simulate_flags, settings.replica_counts,
                                    settings.keyspace_keys, settings.seed + 1)
        grid[config.key] = {}
        for n in settings.replica_counts:
            log(f"{config.key}: N = {n}, {settings.requests} requests")
            grid[config.key][n] = measure(settings, config, n, simulated, keyspace)
    return grid


def exercise_endpoints(settings, config):
    """A-3, part one: each call of ENDPOINT_CALLS on a fresh ringlb with 3 replicas."""
    calls = []
    with Balancer(settings.bin_dir, settings.driver, 3, config.ringlb_flags) as balancer:
        for method, path, payload in ENDPOINT_CALLS:
            status, body = balancer.request(method, path, payload)
            if path == "/metrics":
                body = "\n".join(line for line in body.splitlines()
                                 if line.startswith(METRICS_SHOWN))
            calls.append({"method": method, "path": path, "payload": payload, "status": status,
                          "body": body})
    return calls


def failover(settings, config, victim=2):
    """A-3, part two: a steady load on 3 replicas; replica `victim` is killed without warning
    (SIGKILL, or docker kill) part-way; the timeline shows who answered, second by second."""
    failure = settings.failure
    requests = int(failure.rate * failure.duration)
    with Balancer(settings.bin_dir, settings.driver, 3, config.ringlb_flags) as balancer:
        replicas_before = replicas_of(balancer)
        outcome = {}

        def load():
            try:
                outcome["run"] = loadgen.run_load(
                    settings.bin_dir, balancer.url("/home"), requests, settings.seed,
                    settings.concurrency,
                    ["--rate", str(failure.rate), "--timeline", "--timeline-interval",
                     f"{int(failure.interval * 1000)}ms"])
            except Exception as error:  # reported after the join, on the main thread
                outcome["error"] = error

        thread = threading.Thread(target=load)
        load_started = time.time()
        thread.start()
        time.sleep(failure.kill_after)
        killed_at, killed = balancer.kill_replica(victim)
        down = balancer.wait_for_event("replica_down", lambda e: e.get("name") == killed["name"])
        replaced = balancer.wait_for_event("replica_replaced", lambda e: e.get("old") == killed["name"])
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        replicas_after = replicas_of(balancer)
    run = outcome["run"]
    # The run's clock starts at its own started_at; put the kill and the log events on it.
    origin = run["started_at"]
    starts, per_server, others, failed = stats.timeline_series(run["timeline"], 3)
    killed_s = killed_at - origin
    replaced_s = stats.log_time(replaced) - origin
    return {
        "settings": {"rate": failure.rate, "duration": failure.duration, "requests": requests,
                     "kill_after": failure.kill_after, "interval": failure.interval},
        "victim": victim,
        "killed_name": killed["name"],
        "replacement_name": replaced.get("name"),
        "down_reason": down.get("reason"),
        "replicas_before": replicas_before,
        "replicas_after": replicas_after,
        "run": run,
        "load_started_offset": load_started - origin,
        "killed_s": killed_s,
        "down_s": stats.log_time(down) - origin,
        "replaced_s": replaced_s,
        "detection_ms": (stats.log_time(down) - killed_at) * 1000,
        "replacement_ms": (stats.log_time(replaced) - killed_at) * 1000,
        "victim_back_s": stats.first_bucket_with(per_server[victim - 1], starts,
                                                 replaced_s - failure.interval),
        "timeline": {"starts": starts, "per_server": per_server, "others": others, "failed": failed},
        "consistent": stats.run_totals_consistent(run),
    }
