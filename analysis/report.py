"""Writes docs/analysis.md: the template filled with tables and sentences built from the results.

Sentences that judge a result (equal or not, zero failures or not) are chosen from the numbers, so
the text stays true whatever a run measures."""

import json
import os
import string

import stats

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report_template.md")


def pct(value, digits=1):
    return f"{value * 100:.{digits}f} %"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def assignment_geometry(n, slots=512, virtual_servers=9):
    """Why the assignment's functions balance badly, from the formulas alone: the request slots
    H can reach, and where Φ puts the virtual servers of server IDs 1..n (before probing moves a
    colliding one by a slot or two)."""
    reachable = sorted({(i * i + 2 * i + 17) % slots for i in range(100000, 1000000)})
    phi = sorted((i * i + j * j + 2 * j + 25) % slots
                 for i in range(1, n + 1) for j in range(virtual_servers))
    first, last = phi[0], phi[-1]
    wrap = [s for s in reachable if s > last or s <= first]
    return {"reachable": len(reachable), "first": first, "last": last, "wrap_slots": len(wrap),
            "virtual": len(phi)}


def a1_text(results, a1):
    counts = a1["counts"]
    total = sum(counts)
    top = max(range(len(counts)), key=lambda i: counts[i])
    geometry = assignment_geometry(len(counts))
    keyspace = a1["keyspace_shares"]
    sd = stats.binomial_sd(keyspace[top], total)
    unattributed = a1["run"]["unattributed"] + sum(a1["strays"].values())
    parts = [
        (f"**{unattributed} of the run's successful answers named no server ID 1..3 and are not "
         f"counted below** (see \"Measured against predicted\").\n\n" if unattributed else "")
        + f"Server {top + 1} answered {counts[top]} of the {total} requests ({pct(counts[top] / total)}); "
        + ", ".join(f"server {i + 1} {c} ({pct(c / total)})" for i, c in enumerate(counts) if i != top)
        + f". An even split would give each {total / len(counts):.0f}.",
        "",
        f"This is the assignment's H and Φ doing what they were built to show. H(i) = i² + 2i + 17 "
        f"mod 512 reaches only {geometry['reachable']} of the 512 slots for 6-digit IDs, and Φ "
        f"puts all {geometry['virtual']} virtual servers of server IDs 1..3 between slots "
        f"{geometry['first']} and {geometry['last']}, because i² + j² + 2j + 25 grows slowly for "
        f"small i and j. Every request whose slot lies after the last virtual server wraps around "
        f"to the first one, server 1's at slot {geometry['first']}: that arc holds "
        f"{geometry['wrap_slots']} of the {geometry['reachable']} reachable slots.",
        "",
        f"The diamonds are `simulate`'s count for the same {total} IDs; "
        + same_keys_sentence(a1)
        + f" Over all 6-digit IDs server {top + 1} owns {pct(keyspace[top], 2)}; with {total} "
        f"random IDs a run strays from that by about ±{sd:.0f} requests (one standard deviation), "
        f"and this one measured {counts[top] - keyspace[top] * total:+.0f}.",
    ]
    return "\n".join(parts)


def same_keys_sentence(measurement):
    compare = measurement["compare"]
    if compare["max_abs_diff"] == 0:
        return "the measured counts equal them exactly, request for request."
    return (f"the measured counts differ from them by up to {compare['max_abs_diff']} requests on "
            f"one replica ({compare['moved']} requests would have to move to make them equal); "
            "see \"Measured against predicted\" below.")


def a2_table(series):
    rows = []
    for n in sorted(series):
        m = series[n]
        s = m["spread"]
        rows.append([n, f"{s['mean']:.0f}", f"{s['std']:.0f}", s["min"], s["max"],
                     f"{s['peak_to_mean']:.2f}", " / ".join(str(c) for c in m["counts"])])
    return table(["N", "mean", "std. dev.", "min", "max", "peak / mean", "per replica (server 1, 2, …)"],
                 rows)


def a2_text(series):
    ns = sorted(series)
    worst = max(ns, key=lambda n: series[n]["spread"]["peak_to_mean"])
    best = min(ns, key=lambda n: series[n]["spread"]["peak_to_mean"])
    first_shares = [series[n]["counts"][0] / sum(series[n]["counts"]) for n in ns]
    starved = sum(1 for n in ns for c in series[n]["counts"] if c < series[n]["spread"]["mean"] * 0.25)
    replicas = sum(len(series[n]["counts"]) for n in ns)
    return (
        f"Adding replicas barely helps with the assignment's functions. Server 1 keeps between "
        f"{pct(min(first_shares))} and {pct(max(first_shares))} of all requests for every N from "
        f"{ns[0]} to {ns[-1]}, so the most loaded replica carries {series[best]['spread']['peak_to_mean']:.2f}"
        f" (N = {best}) to {series[worst]['spread']['peak_to_mean']:.2f} (N = {worst}) times the "
        f"mean, and {starved} of the {replicas} replicas in these runs got less than a quarter of "
        f"their even share. The band does not narrow as N grows: each new server ID adds 9 virtual "
        f"servers in the same crowded region of slots, and the wide arc that wraps to server 1 stays.")


def endpoints_markdown(calls):
    blocks = []
    for call in calls:
        request = f"{call['method']} {call['path']}"
        if call["payload"] is not None:
            request += " " + json.dumps(call["payload"])
        body = call["body"] if call["body"] else "(empty body)"
        blocks.append(f"```\n$ {request}\n→ {call['status']}\n{body}\n```")
    return "\n\n".join(blocks)


def a3_setup_text(failure, config_label):
    s = failure["settings"]
    return (
        f"A fresh ringlb with N = 3 and {config_label} gets a steady {s['rate']:.0f} requests per "
        f"second for {s['duration']:.0f} s ({s['requests']} requests, random IDs), and "
        f"{s['kill_after']:.1f} s in, the replica with server ID {failure['victim']} "
        f"({failure['killed_name']}) is killed without warning. The chart counts the answers of "
        f"each server ID in {s['interval'] * 1000:.0f} ms bins, as answers per second; the dashed "
        f"line is the kill, the dotted one the moment ringlb logged the replacement serving. "
        f"Detection and replacement are measured from the kill to ringlb's own log lines "
        f"(`replica_down`, `replica_replaced`), which are stamped to the microsecond.")


def a3_text(failure, driver):
    run = failure["run"]
    failed = run["failed"]
    victim = failure["victim"]
    interval_ms = failure["settings"]["interval"] * 1000
    failed_text = ("**no request failed**" if failed == 0 else
                   f"**{failed} requests failed** ("
                   + ", ".join(f"{kind}: {count}" for kind, count in sorted(run["errors"].items())) + ")")
    notices = ("the docker driver hears the engine's `die` event" if driver == "docker"
               else "the process driver sees its child exit")
    how = (f"{notices}, so detection does not wait for heartbeats to fail"
           if failure["down_reason"] == "exited" else
           f"ringlb gave the reason '{failure['down_reason']}'")
    back = failure["victim_back_s"]
    if failure["replacement_ms"] < interval_ms:
        gap = (f"The whole gap was shorter than one {interval_ms:.0f} ms bin, so the chart shows no "
               f"dip at all: the line of server ID {victim} carries on under its new name "
               f"{failure['replacement_name']}.")
    elif back is not None:
        gap = (f"While server ID {victim} was gone, its keys went to the next replica clockwise on "
               f"the ring, which is why the other lines rise; it answers again from the bin "
               f"starting at {back:.1f} s, under its new name {failure['replacement_name']}.")
    else:
        gap = f"Server ID {victim} got no answers after its replacement within this run."
    saved = ("ringlb routes around a replica that is down and retries an idempotent request that "
             "finds a replica's port closed on the next replica, so the kill cost no request."
             if failed == 0 else
             "The failed requests are those neither the failover nor the retry could save; the "
             "red bars show when they happened.")
    return "\n".join([
        f"- Detection: ringlb logged the replica down "
        f"**{stats.milliseconds_text(failure['detection_ms'])}** after the kill; {how}.",
        f"- Replacement: a new replica with the same server ID was serving "
        f"**{stats.milliseconds_text(failure['replacement_ms'])}** after the kill.",
        f"- Of the {run['completed']} requests, {run['succeeded']} succeeded and {failed_text}.",
        f"- /rep before: {', '.join(failure['replicas_before'])}; after: "
        f"{', '.join(failure['replicas_after'])}.",
        "",
        f"{gap} The replacement keeps the server ID, and with it the hash positions: the keys "
        f"that moved away while it was down come back to it, and no other key moves. {saved}",
        "",
        "A replica that is killed is the easy case: its process exits. One that hangs without "
        "exiting is caught only when its heartbeats fail (`--heartbeat-interval`, "
        "`--heartbeat-fall`); requests already sent to it wait until it is marked down, then the "
        "idempotent ones go to the next replica and the others get a 502 (at most 2.5 s with the "
        "defaults, docs/operations.md). This experiment does not measure that case.",
    ])


def a4_n3_table(grid, labels, n):
    rows = []
    for key, series in grid.items():
        m = series[n]
        total = sum(m["counts"])
        rows.append([labels[key]] + [pct(c / total) for c in m["counts"]] +
                    [f"{m['spread']['peak_to_mean']:.2f}"])
    return table(["configuration"] + [f"server {i}" for i in range(1, n + 1)] + ["peak / mean"], rows)


def keyspace_peak_to_mean(measurement):
    """Peak / mean of the table itself: the largest key-space share over the even share."""
    shares = measurement["keyspace_shares"]
    return max(shares) * len(shares)


def worst(series, measure):
    return max(measure(m) for m in series.values())


def a4_spread_table(grid, labels):
    ns = sorted(next(iter(grid.values())))
    rows = [[labels[key]] + [f"{series[n]['spread']['peak_to_mean']:.2f}" for n in ns]
            + [f"{worst(series, keyspace_peak_to_mean):.2f}"]
            for key, series in grid.items()]
    return ("Peak / mean (the most loaded replica over the mean) of each run, by N, and the worst "
            "over N = " + f"{ns[0]}..{ns[-1]}" + " of the same tables over all 6-digit IDs (key-space "
            "shares from simulate):\n\n"
            + table(["configuration"] + [f"N = {n}" for n in ns] + ["all IDs, worst N"], rows))


def a4_text(grid, labels, assignment_key, requests):
    measured = {key: worst(series, lambda m: m["spread"]["peak_to_mean"]) for key, series in grid.items()}
    structural = {key: worst(series, keyspace_peak_to_mean) for key, series in grid.items()}
    classic_keys = [k for k in grid if k.startswith("classic-") and k != assignment_key]
    other_keys = [k for k in grid if not k.startswith("classic-")]
    largest_n = max(next(iter(grid.values())))
    noise = stats.binomial_sd(1 / largest_n, requests) / (requests / largest_n)
    best = min(structural, key=structural.get)
    tied = [k for k in structural if k != best and round(structural[k], 2) == round(structural[best], 2)]
    return "\n".join([
        f"Better H and Φ fix most of `classic`'s imbalance: its worst peak / mean over the runs "
        f"falls from {measured[assignment_key]:.2f} with the assignment's functions to "
        + " and ".join(f"{measured[k]:.2f} ({labels[k]})" for k in classic_keys)
        + ". The other algorithms do better still: "
        + ", ".join(f"{measured[k]:.2f} ({labels[k]})" for k in other_keys) + ".",
        "",
        f"The last column separates the hash table from chance. A run of {requests} random IDs "
        f"scatters around the table's shares: at N = {largest_n} one standard deviation of a "
        f"replica's count is {pct(noise)} of the mean. `classic` keeps only 9 virtual servers per "
        f"replica on 512 slots even with good functions, so its arcs differ in length and the "
        f"imbalance is in the table itself ("
        + ", ".join(f"{structural[k]:.2f} for {labels[k]}" for k in classic_keys)
        + f" over all IDs); `ring` has 256 points per replica ({structural['ring']:.2f}), and "
        f"Maglev's table of 65537 entries is nearly even ("
        + ", ".join(f"{structural[k]:.2f} for {labels[k]}" for k in other_keys if k != "ring")
        + "), so what its runs show beyond that is sampling noise. Over all IDs the most even was "
        + labels[best] + (" (tied with " + ", ".join(labels[k] for k in tied) + ")" if tied else "")
        + f", at {structural[best]:.2f}; docs/hashing.md compares the algorithms on millions of "
        f"keys and on how many keys move when membership changes.",
    ])


def check_rows(grid, labels):
    rows = []
    for key, series in grid.items():
        for n in sorted(series):
            m = series[n]
            run = m["run"]
            rows.append([labels[key], n, run["succeeded"], run["failed"], run["unattributed"],
                         m["compare"]["max_abs_diff"], m["compare"]["moved"],
                         "yes" if m["consistent"] else "**no**"])
    return rows


def check_text(grid):
    measurements = [m for series in grid.values() for m in series.values()]
    exact = sum(1 for m in measurements if m["compare"]["max_abs_diff"] == 0)
    failed = sum(m["run"]["failed"] for m in measurements)
    unattributed = sum(m["run"]["unattributed"] for m in measurements)
    text = [f"Of the {len(measurements)} runs above, {exact} matched `simulate`'s count for the "
            f"same keys exactly on every replica."]
    if exact < len(measurements):
        text.append(
            "Where they differ, the table says how: a failed request or an answer ringlb-load "
            "could not attribute to a server is missing from the measured counts, and any other "
            "difference means ringlb routed some keys differently from a freshly built table of "
            "the same algorithm — for `maglev-incremental`, whose table depends on the order in "
            "which replicas joined, a load balancer that added its replicas one by one can "
            "legitimately differ from simulate's table built in one step.")
    if failed or unattributed:
        text.append(f"In total {failed} requests failed and {unattributed} successful answers "
                    f"named no server.")
    return " ".join(text)


def check_table(grid, labels):
    return table(["configuration", "N", "succeeded", "failed", "no server ID",
                  "max diff", "moved", "counts add up"], check_rows(grid, labels))


def write(path, results, labels, assignment_key, default_label):
    grid = results["grid"]
    settings = results["settings"]
    a1 = grid[assignment_key][3]
    values = {
        "mode_text": ("quick mode: small sizes for CI" if settings["quick"] else "full size")
                     + f", {settings['date']}",
        "results_file": "analysis/results.json",
        "driver": settings["driver"],
        "requests": settings["requests"],
        "concurrency": settings["concurrency"],
        "seed": settings["seed"],
        "keyspace_keys": f"{settings['keyspace_keys']:,}".replace(",", " "),
        "n_range": f"{settings['replica_counts'][0]}..{settings['replica_counts'][-1]}",
        "a1_text": a1_text(results, a1),
        "a2_table": a2_table(grid[assignment_key]),
        "a2_text": a2_text(grid[assignment_key]),
        "a3_config_label": default_label,
        "a3_endpoints": endpoints_markdown(results["a3"]["endpoints"]),
        "a3_setup_text": a3_setup_text(results["a3"]["failover"], default_label),
        "a3_text": a3_text(results["a3"]["failover"], settings["driver"]),
        "a4_n3_table": a4_n3_table(grid, labels, 3),
        "a4_spread_table": a4_spread_table(grid, labels),
        "a4_text": a4_text(grid, labels, assignment_key, settings["requests"]),
        "check_text": check_text(grid),
        "check_table": check_table(grid, labels),
    }
    with open(TEMPLATE) as f:
        text = string.Template(f.read()).substitute(values)
    with open(path, "w") as f:
        f.write(text)
