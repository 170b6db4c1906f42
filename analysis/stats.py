"""Pure statistics and parsing for the analysis: no processes, no files, no plotting."""

import datetime
import math
import re

LOGFMT_PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def parse_logfmt(line):
    """One logfmt line (`time=... level=info event=x key="a b"`) as a dict of strings."""
    fields = {}
    for key, value in LOGFMT_PAIR.findall(line):
        if value.startswith('"'):
            value = re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), value[1:-1])
        fields[key] = value
    return fields


def log_time(fields):
    """The Unix time of a log line's `time=2026-11-21T19:43:20.438123Z` field."""
    stamp = datetime.datetime.strptime(fields["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    return stamp.replace(tzinfo=datetime.timezone.utc).timestamp()


def counts_by_server(replicas, n):
    """Answers per server ID 1..n from a run's `replicas` object (keys are strings), zeros
    included; answers from an ID outside 1..n are returned separately."""
    counts = [int(replicas.get(str(i), 0)) for i in range(1, n + 1)]
    strays = {k: v for k, v in replicas.items() if not (k.isdigit() and 1 <= int(k) <= n)}
    return counts, strays


def spread(counts):
    """Mean, population standard deviation, min, max and peak-to-mean of per-replica counts."""
    n = len(counts)
    mean = sum(counts) / n
    std = math.sqrt(sum((c - mean) ** 2 for c in counts) / n)
    return {
        "mean": mean,
        "std": std,
        "min": min(counts),
        "max": max(counts),
        "peak_to_mean": max(counts) / mean if mean else 0.0,
        "cv": std / mean if mean else 0.0,
    }


def predicted_counts(shares, keys):
    """`simulate`'s shares of `keys` keys, back as whole counts."""
    return [round(s * keys) for s in shares]


def compare(measured, predicted):
    """How far a measured distribution is from the prediction for the same keys: the largest
    difference on one replica and the number of requests that would have to move to make them
    equal (half the L1 distance)."""
    diffs = [m - p for m, p in zip(measured, predicted)]
    return {
        "max_abs_diff": max(abs(d) for d in diffs),
        "moved": sum(abs(d) for d in diffs) // 2,
        "diffs": diffs,
    }


def binomial_sd(share, total):
    """Standard deviation of one replica's count when `total` keys are drawn at random and each
    lands on it with probability `share`: how far a run may stray from the key-space share."""
    return math.sqrt(total * share * (1 - share))


def timeline_series(timeline, n):
    """From a run's timeline: bucket start times, answers per server ID 1..n per bucket (a list
    per ID), answers from other IDs, and failures per bucket."""
    buckets = timeline["buckets"]
    starts = [b["start_seconds"] for b in buckets]
    per_server = [[int(b["replicas"].get(str(i), 0)) for b in buckets] for i in range(1, n + 1)]
    others = [sum(int(v) for k, v in b["replicas"].items()
                  if not (k.isdigit() and 1 <= int(k) <= n)) + int(b["unattributed"])
              for b in buckets]
    failed = [int(b["failed"]) for b in buckets]
    return starts, per_server, others, failed


def first_bucket_with(counts, starts, after):
    """The start of the first bucket at or after `after` seconds with a non-zero count, or None."""
    for start, count in zip(starts, counts):
        if start >= after and count > 0:
            return start
    return None


def run_totals_consistent(run):
    """True when a `ringlb-load run --json` report's counts add up."""
    return (run["completed"] == run["succeeded"] + run["failed"]
            and run["succeeded"] == sum(run["replicas"].values()) + run["unattributed"]
            and run["failed"] == sum(run["errors"].values())
            and run["completed"] <= run["sent"] <= run["requests"])


def percent(value, digits=1):
    return f"{value * 100:.{digits}f} %"


def milliseconds_text(value):
    """A delay in whole milliseconds; below one, say so."""
    return "under 1 ms" if value < 1 else f"{value:.0f} ms"
