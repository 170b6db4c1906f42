"""Tests of the pure parts of the workload matrix: the table's verdicts, the reading of
ringlb-load's reports, and the replica's service times. Run: /usr/bin/python3 -m pytest bench/proxy"""

import argparse
import math
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "replica"))

import ringlb_load  # noqa: E402
import ringlb_replicas  # noqa: E402
import workload_aiohttp as replica  # noqa: E402
import workloads_table as table  # noqa: E402


@pytest.mark.parametrize("values, higher_better, bar, ratio, peer, met", [
    # req/s: the best peer is the highest; the bar is a floor.
    ({"ringlb": 130, "nginx": 100, "haproxy": 90}, True, 1.3, 1.3, "nginx", True),
    ({"ringlb": 129, "nginx": 100, "haproxy": 90}, True, 1.3, 1.29, "nginx", False),
    ({"ringlb": 90, "nginx": 80, "haproxy": 100}, True, 1.0, 0.9, "haproxy", False),
    # latency: the best peer is the lowest; the bar is a ceiling.
    ({"ringlb": 2.0, "nginx": 4.0, "haproxy": 2.0}, False, 1.0, 1.0, "haproxy", True),
    ({"ringlb": 5.0, "nginx": 4.0, "haproxy": 8.0}, False, 1.0, 1.25, "nginx", False),
    # no bar: a ratio, no verdict.
    ({"ringlb": 1.0, "nginx": 2.0, "haproxy": 4.0}, False, None, 0.5, "nginx", None),
    # a missing figure: the peer that has one is the best; none for ringlb means no ratio.
    ({"ringlb": 3.0, "nginx": None, "haproxy": 2.0}, False, 1.0, 1.5, "haproxy", False),
    ({"ringlb": None, "nginx": 1.0, "haproxy": 2.0}, False, 1.0, None, "nginx", None),
    # a best peer of 0 gives no ratio rather than a division by zero.
    ({"ringlb": 5.0, "nginx": 0.0, "haproxy": 0.0}, True, 1.0, None, "nginx", None),
])
def test_verdict_against_the_best_peer(values, higher_better, bar, ratio, peer, met):
    got = table.verdict(values, higher_better, bar)
    assert got["peer"] == peer
    assert got["met"] is met
    assert got["ratio"] == (None if ratio is None else pytest.approx(ratio))


def test_verdict_names_the_bar():
    assert table.verdict({"ringlb": 1, "nginx": 1}, True, 1.3)["bar"] == ">=x1.30"
    assert table.verdict({"ringlb": 1, "nginx": 1}, False, 1.0)["bar"] == "<=x1.00"
    assert table.verdict({"ringlb": 1, "nginx": 1}, False, None)["bar"] == "-"


def matrix():
    fig = {"name": "req/s", "higher_better": True, "bar": 1.3}
    cells = {"ringlb": {"values": {"req/s": 2600.0}, "errors": 0},
             "ringlb-b1": {"values": {"req/s": 1900.0}, "errors": 3, "error_kinds": {"timeout": 3}},
             "nginx": {"values": {"req/s": 2000.0}, "errors": 0},
             "haproxy": {"values": {"req/s": None}, "errors": 0}}
    return [{"row": "uniform /fast", "figures": [fig], "cells": cells}]


def test_table_has_a_line_per_figure_with_ratio_bar_and_verdict():
    lines = table.format_table(matrix(), ("ringlb", "ringlb-b1", "nginx", "haproxy"))
    assert len(lines) == 2
    assert lines[1].split() == ["uniform", "/fast", "req/s", "2600", "1900", "2000", "-",
                                "x1.30", "(nginx)", ">=x1.30", "yes"]


def test_cells_show_counts_whole_and_figures_to_their_size():
    assert [table.cell_text(v) for v in (None, 34, 1234.6, 12.345)] == ["-", "34", "1235", "12.35"]


def test_errors_name_the_row_and_the_contender():
    assert table.errors_seen(matrix()) == ["uniform /fast: ringlb-b1 3 (timeout 3)"]


def test_json_carries_values_and_verdicts():
    data = table.to_json(matrix(), argparse.Namespace(seconds=5.0, json="out.json"))
    assert data["settings"] == {"seconds": 5.0}
    figure = data["rows"][0]["figures"][0]
    assert figure["values"]["ringlb"] == 2600.0 and figure["met"] is True
    assert data["rows"][0]["errors"]["ringlb-b1"] == 3


def test_features_come_from_the_help_text():
    assert ringlb_load.features("--url TEXT\n--rate FLOAT") == {"path": False, "open_loop": False}
    assert ringlb_load.features("--path TEXT ...\n--open-loop") == {"path": True, "open_loop": True}


def test_errors_leave_out_requests_cut_by_the_end_of_the_run():
    assert ringlb_load.count_errors({"aborted": 5, "timeout": 2, "closed": 1}) == 3
    assert ringlb_load.count_errors({"aborted": 5}) == 0
    assert ringlb_load.count_errors(4) == 4
    assert ringlb_load.count_errors(None) == 0


def test_summary_of_mains_report():
    report = {"elapsed_seconds": 2.0, "succeeded": 5000, "failed": 7,
              "errors": {"aborted": 7}, "latency_ms": {"count": 5000, "p50": 1.5, "p90": 2.0,
                                                       "p99": 4.25, "max": 9.0}}
    got = ringlb_load.summarize(report)
    assert got["rps"] == 2500.0 and got["errors"] == 0
    assert got["latency"] == {"p50": 1.5, "p90": 2.0, "p99": 4.25, "p999": None, "max": 9.0}
    assert got["paths"] == {}


def test_answers_that_are_not_2xx_are_errors_and_not_throughput():
    report = {"elapsed_seconds": 1.0, "succeeded": 100, "statuses": {"200": 90, "502": 10},
              "errors": {"aborted": 3, "timeout": 1}}
    got = ringlb_load.summarize(report)
    assert got["rps"] == 90.0
    assert got["errors"] == 11
    assert got["error_kinds"] == {"timeout": 1, "status 502": 10}


def test_summary_reads_paths_flat_or_nested_and_any_p999_spelling():
    report = {"elapsed_seconds": 1.0, "succeeded": 10, "paths": {
        "/fast": {"count": 9, "errors": 0, "p50": 1.0, "p99": 2.0, "p99.9": 3.0},
        "/sleep/1000": {"count": 1, "errors": {"timeout": 1}, "latency_ms": {"p99": 1000.0, "p999": 1001.0}}}}
    paths = ringlb_load.summarize(report)["paths"]
    assert paths["/fast"]["latency"]["p999"] == 3.0 and paths["/fast"]["count"] == 9
    assert paths["/sleep/1000"]["errors"] == 1 and paths["/sleep/1000"]["latency"]["p999"] == 1001.0


def test_summary_of_a_mixed_open_loop_report_as_ringlb_load_writes_it():
    report = {"elapsed_seconds": 2.0, "succeeded": 200, "statuses": {"200": 200}, "errors": {},
              "latency_ms": {"count": 200, "p50": 1.0, "p99": 900.0, "p99_9": 1000.0},
              "lateness": {"late": 4, "worst_ms": 12.5},
              "paths": [{"path": "/fast", "weight": 99, "count": 198, "succeeded": 198, "failed": 0,
                         "errors": {}, "latency_ms": {"p50": 0.9, "p99": 3.0, "p99_9": 4.0}},
                        {"path": "/sleep/1000", "weight": 1, "count": 2, "succeeded": 2, "failed": 1,
                         "errors": {"aborted": 1}, "latency_ms": {"p99": 1001.0}}]}
    got = ringlb_load.summarize(report)
    assert got["rps"] == 100.0 and got["errors"] == 0
    assert got["late"] == 4 and got["worst_late_ms"] == 12.5
    assert got["latency"]["p999"] == 1000.0
    assert ringlb_load.find_path(got["paths"], "/fast")["latency"]["p99"] == 3.0
    assert got["paths"]["/sleep/1000"]["errors"] == 0


def test_a_closed_loop_report_has_no_lateness():
    got = ringlb_load.summarize({"elapsed_seconds": 1.0, "succeeded": 1, "lateness": None, "paths": []})
    assert got["late"] is None and got["paths"] == {}


def test_find_path_tolerates_a_query_or_a_kept_weight():
    assert ringlb_load.find_path({"/fast": 1}, "/fast") == 1
    assert ringlb_load.find_path({"/fast?x=1": 2}, "/fast") == 2
    assert ringlb_load.find_path({"/fast=99": 3}, "/fast") == 3
    assert ringlb_load.find_path({"/slow": 4}, "/fast") is None


def test_command_is_bounded_and_sends_random_ids():
    args = ringlb_load.command("http://127.0.0.1:1/fast", 2.0, 64)
    assert args[args.index("--max-seconds") + 1] == "2.000"
    assert args[args.index("--requests") + 1] == "200001"
    assert args[args.index("--request-ids") + 1] == "random"
    assert "--open-loop" not in args and "--rate" not in args and "--path" not in args
    mixed = ringlb_load.command("http://127.0.0.1:1/fast", 1.0, 8, paths={"/fast": 99, "/sleep/1000": 1},
                                rate=50.0, open_loop=True, requests=50)
    assert [mixed[i + 1] for i, a in enumerate(mixed) if a == "--path"] == ["/fast=99", "/sleep/1000=1"]
    assert mixed[mixed.index("--rate") + 1] == "50.0" and "--open-loop" in mixed
    assert mixed[mixed.index("--requests") + 1] == "50"


LOG = """time=1 level=info event=replica_started name=server-1 id=1 address=127.0.0.1:40921 pid=11
time=2 level=info event=replica_started name=server-3 id=3 address=127.0.0.1:46093 pid=13
time=3 level=info event=replica_started name=server-2 id=2 address=127.0.0.1:47975 pid=12
time=4 level=warn event=replica_exited name=server-3 id=3 pid=13 status="exit 1"
time=5 level=error event=replica_start_failed name=server-3 id=3 error="exited (exit 1) before passing its heartbeat"
time=6 level=info event=replica_started name=replica-fxlr9k id=3 address=127.0.0.1:59413 pid=14
time=7 level=info event=replica_replaced old=server-3 name=replica-fxlr9k id=3 address=127.0.0.1:59413
"""


def test_each_replica_is_at_its_latest_start():
    assert ringlb_replicas.latest_addresses(LOG) == {1: "127.0.0.1:40921", 2: "127.0.0.1:47975",
                                                     3: "127.0.0.1:59413"}


def test_replacements_are_seen_only_past_the_offset():
    assert ringlb_replicas.replacements(LOG) == ["replica_exited", "replica_replaced", "replica_start_failed"]
    after_settling = LOG[LOG.index("time=7"):]
    assert ringlb_replicas.replacements(after_settling) == ["replica_replaced"]
    assert ringlb_replicas.replacements(LOG[:LOG.index("time=4")]) == []


def test_lognormal_meets_its_median_and_99th_percentile():
    assert replica.lognormal_ms(1.0, 50.0, 0.0) == pytest.approx(1.0)
    assert replica.lognormal_ms(1.0, 50.0, replica.Z99) == pytest.approx(50.0)
    assert replica.lognormal_ms(1.0, 50.0, -replica.Z99) == pytest.approx(1 / 50.0)
    assert replica.lognormal_ms(1.0, 50.0, 10.0) == replica.CAP_MS
    assert replica.lognormal_sigma(2.0, 2.0) == 0.0


def test_lognormal_draws_have_the_asked_percentiles():
    import random
    rng = random.Random(7)
    draws = sorted(replica.lognormal_ms(1.0, 50.0, rng.gauss(0.0, 1.0)) for _ in range(20000))
    assert 0.9 < draws[10000] < 1.1
    assert 40 < draws[19800] < 62


@pytest.mark.parametrize("server_id, flags, query, factor", [
    (1, [], None, 1.0),
    (1, [(1, 3.0)], None, 3.0),
    (2, [(1, 3.0)], None, 1.0),
    (1, [], (1, 3.0), 3.0),
    (2, [], (1, 3.0), 1.0),
    (1, [(1, 3.0)], (2, 5.0), 1.0),  # a query overrides the flag, even naming another replica
    (2, [(1, 3.0)], (2, 5.0), 5.0),
])
def test_slow_factor(server_id, flags, query, factor):
    assert replica.slow_factor(server_id, flags, query) == factor


@pytest.mark.parametrize("text, parsed", [("1:3", (1, 3.0)), ("2:0.5", (2, 0.5))])
def test_parse_slow(text, parsed):
    assert replica.parse_slow(text) == parsed


@pytest.mark.parametrize("text", ["1", "x:3", "1:x", "1:0", "1:-2", "1:inf", "1:nan"])
def test_parse_slow_refuses(text):
    with pytest.raises(ValueError):
        replica.parse_slow(text)


def test_z99_is_the_normal_99th_percentile():
    assert 0.5 * math.erfc(-replica.Z99 / math.sqrt(2)) == pytest.approx(0.99, abs=1e-9)
