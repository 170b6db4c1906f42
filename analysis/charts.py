"""The figures of docs/analysis.md, drawn headless with matplotlib (Debian's python3-matplotlib)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from stats import milliseconds_text  # noqa: E402

DPI = 110
# One colour per server ID, the same in every figure.
SERVER_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
FAILED_COLOUR = "#d62728"
MUTED = "#555555"


def server_colour(server_id):
    return SERVER_COLOURS[(server_id - 1) % len(SERVER_COLOURS)]


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def requests_per_replica(path, measurement, title):
    """A-1: one bar per replica, labelled with its count and share; the prediction for the same
    keys as a marker, the even share as a dashed line."""
    counts = measurement["counts"]
    total = sum(counts)
    ids = list(range(1, len(counts) + 1))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    bars = ax.bar([f"server {i}" for i in ids], counts, color=[server_colour(i) for i in ids])
    for bar, count in zip(bars, counts):
        ax.annotate(f"{count} ({count / total:.1%})", (bar.get_x() + bar.get_width() / 2, count),
                    ha="center", va="bottom", fontsize=9, xytext=(0, 8), textcoords="offset points")
    ax.scatter([f"server {i}" for i in ids], measurement["predicted"], marker="D", color="black",
               zorder=3, label="simulate, same keys")
    ax.axhline(total / len(counts), color=MUTED, linestyle="--", linewidth=1,
               label=f"even share ({total / len(counts):.0f})")
    ax.set_ylabel("requests answered")
    ax.set_ylim(0, max(counts) * 1.18)
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=9)
    _save(fig, path)


def _spread_panel(ax, series, colour):
    """Mean per replica, min–max band, ±1 standard deviation and every replica's count."""
    ns = sorted(series)
    means = [series[n]["spread"]["mean"] for n in ns]
    lows = [series[n]["spread"]["min"] for n in ns]
    highs = [series[n]["spread"]["max"] for n in ns]
    stds = [series[n]["spread"]["std"] for n in ns]
    ax.fill_between(ns, lows, highs, color=colour, alpha=0.18, label="min – max")
    ax.errorbar(ns, means, yerr=stds, color=colour, marker="o", capsize=4, linewidth=2,
                label="mean ± 1 std. dev.")
    for n in ns:
        ax.scatter([n] * len(series[n]["counts"]), series[n]["counts"], color=colour, s=10,
                   alpha=0.7, zorder=3)
    ax.set_xticks(ns)
    ax.set_xlabel("replicas N")
    ax.grid(alpha=0.3)


def load_vs_replicas(path, series, title):
    """A-2: the load per replica against N, with its spread."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _spread_panel(ax, series, SERVER_COLOURS[0])
    ax.scatter([], [], color=SERVER_COLOURS[0], s=10, label="one replica")
    ax.set_ylabel("requests per replica")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(fontsize=9)
    _save(fig, path)


def failover_timeline(path, failure):
    """A-3: answers per second from each server ID, failures, and the kill/down/replaced marks."""
    timeline = failure["timeline"]
    interval = failure["settings"]["interval"]
    per_second = 1.0 / interval
    centres = [s + interval / 2 for s in timeline["starts"]]
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for index, counts in enumerate(timeline["per_server"]):
        server_id = index + 1
        ax.plot(centres, [c * per_second for c in counts], color=server_colour(server_id),
                linewidth=1.6, label=f"server ID {server_id}")
    if any(timeline["others"]):
        ax.plot(centres, [c * per_second for c in timeline["others"]], color=MUTED, linewidth=1,
                label="no or another server ID")
    ax.bar(timeline["starts"], [f * per_second for f in timeline["failed"]], width=interval,
           align="edge", color=FAILED_COLOUR, alpha=0.6, label="failed requests")
    top = max(max(max(c) for c in timeline["per_server"]) * per_second, 1) * 1.3
    ax.axvline(failure["killed_s"], color="black", linestyle="--", linewidth=1)
    ax.axvline(failure["replaced_s"], color="#17becf", linestyle=":", linewidth=1.5)
    ax.annotate(f"server ID {failure['victim']} killed at {failure['killed_s']:.2f} s\n"
                f"marked down {milliseconds_text(failure['detection_ms'])} later\n"
                f"replacement serving {milliseconds_text(failure['replacement_ms'])} later\n"
                f"failed requests: {failure['run']['failed']}",
                (failure["replaced_s"], top * 0.97), xytext=(6, 0), textcoords="offset points",
                fontsize=8, va="top",
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#bbbbbb"})
    ax.set_ylim(0, top)
    ax.set_xlim(0, max(timeline["starts"]) + interval)
    ax.set_xlabel("seconds since the load started")
    ax.set_ylabel("answers per second")
    ax.set_title(f"A-3: server ID {failure['victim']} killed under load "
                 f"({failure['settings']['rate']:.0f} requests/s, {interval * 1000:.0f} ms bins)")
    ax.legend(loc="lower left", fontsize=8, ncol=3)
    ax.grid(alpha=0.3)
    _save(fig, path)


def shares_by_config(path, measurements, labels, title):
    """A-4, A-1 again: for each configuration, the share of each replica at one N."""
    n = len(next(iter(measurements.values()))["counts"])
    keys = list(measurements)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(10, 4.8))
    for server in range(n):
        shares = [measurements[k]["counts"][server] / sum(measurements[k]["counts"]) * 100 for k in keys]
        xs = [i + (server - (n - 1) / 2) * width for i in range(len(keys))]
        ax.bar(xs, shares, width=width, color=server_colour(server + 1), label=f"server {server + 1}")
    ax.axhline(100 / n, color=MUTED, linestyle="--", linewidth=1, label=f"even share ({100 / n:.1f} %)")
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([labels[k].replace(", ", ",\n", 1) for k in keys], fontsize=8)
    ax.set_ylabel("share of requests (%)")
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=n + 1, loc="upper right")
    _save(fig, path)


def spread_by_config(path, grid, labels, title):
    """A-4, A-2 again: the A-2 chart for each configuration, side by side on one y scale."""
    keys = list(grid)
    columns = 3
    rows = (len(keys) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(12, 3.6 * rows), sharey=True, squeeze=False)
    for index, key in enumerate(keys):
        ax = axes[index // columns][index % columns]
        _spread_panel(ax, grid[key], SERVER_COLOURS[index % len(SERVER_COLOURS)])
        worst = max(m["spread"]["peak_to_mean"] for m in grid[key].values())
        ax.set_title(f"{labels[key]}\nworst peak/mean {worst:.2f}", fontsize=9)
        if index % columns == 0:
            ax.set_ylabel("requests per replica")
    for index in range(len(keys), rows * columns):
        axes[index // columns][index % columns].axis("off")
    axes[0][0].set_ylim(bottom=0)
    fig.suptitle(title)
    _save(fig, path)
