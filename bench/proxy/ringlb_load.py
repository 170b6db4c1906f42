"""`ringlb-load run` for the benchmarks: what this build of it can do, one run, and its --json
report reduced to the figures a benchmark compares.

Newer builds take a mix of paths (`--path PATH=WEIGHT`), an open loop (`--open-loop --rate R`,
latency from each request's scheduled time) and report latency per path; features() says which
of those this build has, so a benchmark can use them when they are there and say what it did
instead when they are not."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402

# Errors of this kind are requests still in flight when --max-seconds ran out: the end of a run
# bounded in time, not a failure of the proxy.
CUT_BY_END = "aborted"
PERCENTILES = {"p50": ("p50",), "p90": ("p90",), "p99": ("p99",),
               "p999": ("p999", "p99.9", "p99_9"), "max": ("max",)}


def binary():
    return os.path.join(benchlib.BIN_DIR, "ringlb-load")


def features(help_text=None):
    """{'path': bool, 'open_loop': bool}: the options `ringlb-load run --help` lists."""
    if help_text is None:
        help_text = subprocess.run([binary(), "run", "--help"], capture_output=True, text=True,
                                   timeout=30).stdout
    return {"path": "--path" in help_text, "open_loop": "--open-loop" in help_text}


def error_kinds(errors, statuses=None):
    """{kind: count} of the failed requests, those cut by the end of the run left out, and of the
    answers that are not 2xx ('status 502'). `errors` is main's object of counts per kind, or a
    bare count ('failed'), or missing."""
    if isinstance(errors, dict):
        kinds = {kind: int(n) for kind, n in errors.items() if kind != CUT_BY_END and int(n)}
    else:
        kinds = {"failed": int(errors)} if errors else {}
    for status, n in (statuses or {}).items():
        if not str(status).startswith("2") and int(n):
            kinds[f"status {status}"] = int(n)
    return kinds


def count_errors(errors, statuses=None):
    return sum(error_kinds(errors, statuses).values())


def latency_of(obj):
    """{'p50': ms, ...} from an object holding the percentiles flat or under 'latency_ms'."""
    source = obj.get("latency_ms", obj) if isinstance(obj, dict) else {}
    found = {}
    for name, keys in PERCENTILES.items():
        value = next((source[k] for k in keys if source.get(k) is not None), None)
        found[name] = float(value) if value is not None else None
    return found


def find_path(paths, path):
    """The entry of `paths` ({path: ...}) for `path`; also accepted: a key that differs only by the
    query string or by a trailing '=WEIGHT' the generator kept."""
    if path in paths:
        return paths[path]
    for key, value in paths.items():
        if key.split("?")[0] == path.split("?")[0] or key.rsplit("=", 1)[0] == path:
            return value
    return None


def summarize(report):
    """The figures of one --json report: {'rps', 'succeeded', 'errors', 'error_kinds', 'elapsed', 'latency',
    'paths': {path: {'count', 'errors', 'latency'}}, 'late', 'worst_late_ms'} (the lateness of
    an open loop: requests that waited for a connection, and the longest wait). req/s counts only
    2xx answers, over the time the run took (a run cut by its time bound ends with aborted
    requests, which are not errors)."""
    elapsed = float(report.get("elapsed_seconds") or 0.0)
    statuses = report.get("statuses")
    if statuses:
        succeeded = sum(int(n) for status, n in statuses.items() if str(status).startswith("2"))
    else:
        succeeded = int(report.get("succeeded", 0))
    paths = {}
    for path, entry in path_entries(report.get("paths")):
        paths[path] = {"count": int(entry.get("count", 0)),
                       "errors": count_errors(entry.get("errors"), entry.get("statuses")),
                       "latency": latency_of(entry)}
    lateness = report.get("lateness") if isinstance(report.get("lateness"), dict) else {}
    return {"rps": succeeded / elapsed if elapsed > 0 else 0.0, "succeeded": succeeded,
            "errors": count_errors(report.get("errors"), statuses),
            "error_kinds": error_kinds(report.get("errors"), statuses), "elapsed": elapsed,
            "latency": latency_of(report), "paths": paths,
            "late": lateness.get("late"), "worst_late_ms": lateness.get("worst_ms")}


def path_entries(paths):
    """(path, entry) pairs of a report's 'paths': a list of entries that name their 'path' (as
    ringlb-load writes it), or an object keyed by path."""
    if isinstance(paths, dict):
        return list(paths.items())
    return [(entry.get("path"), entry) for entry in paths or [] if isinstance(entry, dict)]


def command(url, seconds, concurrency, paths=None, rate=None, open_loop=False, requests=None,
            timeout="5s", seed=None):
    """The argument list of one bounded run: at most `requests` (default: far more than a replica
    set here can answer in `seconds`) and at most `seconds`."""
    args = [binary(), "run", "--url", url, "--concurrency", str(concurrency), "--max-seconds",
            f"{seconds:.3f}", "--timeout", timeout, "--request-ids", "random", "--json", "--quiet"]
    if requests is None:
        requests = int(seconds * 100_000) + 1
    args += ["--requests", str(max(1, int(requests)))]
    for path, weight in (paths or {}).items():
        args += ["--path", f"{path}={weight}"]
    if rate:
        args += ["--rate", f"{rate:.1f}"]
    if open_loop:
        args.append("--open-loop")
    if seed is not None:
        args += ["--seed", str(seed)]
    return args


def start(args):
    """Starts one run; finish() reads its report."""
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, seconds):
    """Waits for a run of at most `seconds` (killed past a margin), returns summarize() of it."""
    try:
        out, err = proc.communicate(timeout=seconds + 30)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    if not out.strip():
        raise RuntimeError(f"ringlb-load exited {proc.returncode} with no report: {err.strip()}")
    return summarize(json.loads(out))


def run(args, seconds):
    return finish(start(args), seconds)
