"""The analysis: its parsing and statistics, and `run_analysis.py --quick` end to end against the
real binaries (RINGLB_BIN_DIR, default build/bin) into a temporary directory."""

import json
import math
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402
import run_analysis  # noqa: E402
import stats  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURES = ("a1_requests_per_replica.png", "a2_load_vs_replicas.png", "a3_failover_timeline.png",
           "a4_shares_n3.png", "a4_spread_by_config.png")


def test_parse_logfmt_reads_plain_and_quoted_values():
    line = ('time=2026-11-21T19:43:20.438Z level=warn event=replica_down name=server-2 id=2 '
            'reason="heartbeat failed: \\"timeout\\"" empty=')
    fields = stats.parse_logfmt(line)
    assert fields["event"] == "replica_down"
    assert fields["name"] == "server-2" and fields["id"] == "2"
    assert fields["reason"] == 'heartbeat failed: "timeout"'
    assert fields["empty"] == ""


def test_log_time_is_utc_with_milliseconds():
    assert stats.log_time({"time": "1970-01-01T00:00:01.250Z"}) == pytest.approx(1.25)
    later = stats.log_time({"time": "2026-11-21T19:43:20.438Z"})
    earlier = stats.log_time({"time": "2026-11-21T19:43:19.938Z"})
    assert later - earlier == pytest.approx(0.5)


def test_counts_by_server_fills_zeros_and_separates_strays():
    counts, strays = stats.counts_by_server({"1": 5, "3": 2, "9": 1}, 3)
    assert counts == [5, 0, 2]
    assert strays == {"9": 1}


def test_spread():
    s = stats.spread([10, 20, 30])
    assert s["mean"] == 20
    assert s["std"] == pytest.approx(math.sqrt(200 / 3))
    assert (s["min"], s["max"]) == (10, 30)
    assert s["peak_to_mean"] == pytest.approx(1.5)
    assert stats.spread([0, 0])["peak_to_mean"] == 0.0


def test_predicted_counts_and_compare():
    assert stats.predicted_counts([0.8449, 0.0446, 0.1105], 10000) == [8449, 446, 1105]
    result = stats.compare([50, 30, 20], [48, 33, 19])
    assert result["max_abs_diff"] == 3
    assert result["moved"] == 3
    assert result["diffs"] == [2, -3, 1]
    assert stats.compare([1, 2], [1, 2])["max_abs_diff"] == 0


def test_binomial_sd():
    assert stats.binomial_sd(0.5, 10000) == pytest.approx(50)


def test_timeline_series_and_first_bucket():
    timeline = {"interval_seconds": 0.5, "buckets": [
        {"start_seconds": 0, "replicas": {"1": 3, "2": 4}, "unattributed": 0, "failed": 0},
        {"start_seconds": 0.5, "replicas": {"1": 6, "7": 1}, "unattributed": 2, "failed": 1},
        {"start_seconds": 1.0, "replicas": {"2": 5}, "unattributed": 0, "failed": 0}]}
    starts, per_server, others, failed = stats.timeline_series(timeline, 2)
    assert starts == [0, 0.5, 1.0]
    assert per_server == [[3, 6, 0], [4, 0, 5]]
    assert others == [0, 3, 0]
    assert failed == [0, 1, 0]
    assert stats.first_bucket_with(per_server[1], starts, 0.4) == 1.0
    assert stats.first_bucket_with(per_server[1], starts, 1.1) is None


def test_run_totals_consistent():
    run = {"requests": 10, "sent": 10, "completed": 10, "succeeded": 8, "failed": 2,
           "unattributed": 1, "replicas": {"1": 4, "2": 3}, "errors": {"timeout": 2}}
    assert stats.run_totals_consistent(run)
    assert not stats.run_totals_consistent(dict(run, succeeded=9))
    assert not stats.run_totals_consistent(dict(run, errors={"timeout": 1}))


def test_assignment_geometry_matches_spec():
    # docs/contract.md: H reaches only 87 of the 512 slots; Φ(1, 0) = 26 and Φ(3, 8) = 114.
    geometry = report.assignment_geometry(3)
    assert geometry["reachable"] == 87
    assert (geometry["first"], geometry["last"]) == (26, 114)
    assert geometry["virtual"] == 27


def test_markdown_table():
    assert report.table(["a", "b"], [[1, 2]]) == "| a | b |\n|---|---|\n| 1 | 2 |"


def test_quick_analysis_end_to_end(tmp_path):
    bin_dir = os.environ.get("RINGLB_BIN_DIR", os.path.join(run_analysis.ROOT, "build", "bin"))
    code = run_analysis.main(["--quick", "--out", str(tmp_path), "--bin-dir", bin_dir])
    assert code == 0, "run_analysis.py --quick failed (its message is above)"

    text = (tmp_path / "analysis.md").read_text()
    for heading in ("## A-1", "## A-2", "## A-3", "## A-4", "## Measured against predicted"):
        assert heading in text
    assert "$" not in text.replace("$ ", "")  # every template placeholder was filled
    for figure in FIGURES:
        path = tmp_path / "analysis" / figure
        assert path.read_bytes()[:8] == PNG_SIGNATURE, figure
        assert f"(analysis/{figure})" in text

    results = json.loads((tmp_path / "analysis" / "results.json").read_text())
    requests = results["settings"]["requests"]
    assert requests == 500 and results["settings"]["replica_counts"] == [2, 3]
    for config, series in results["grid"].items():
        for n, measurement in series.items():
            run = measurement["run"]
            where = f"{config}, N = {n}"
            assert measurement["consistent"], where
            assert run["completed"] == requests, where
            # No fault is injected here: every request gets an answer that names its replica.
            assert run["failed"] == 0, (where, run["errors"])
            assert run["unattributed"] == 0, where
            assert sum(measurement["counts"]) == requests, where
            assert not measurement["strays"], where
            assert len(measurement["replicas"]) == int(n), where

    failover = results["a3"]["failover"]
    run = failover["run"]
    assert failover["consistent"]
    assert run["completed"] == failover["settings"]["requests"]
    timeline = failover["timeline"]
    answered = sum(map(sum, timeline["per_server"])) + sum(timeline["others"])
    assert answered == run["succeeded"]
    assert sum(timeline["failed"]) == run["failed"]
    assert 0 <= failover["detection_ms"] <= failover["replacement_ms"]
    assert failover["replacement_name"] in failover["replicas_after"]
    assert failover["killed_name"] not in failover["replicas_after"]
    statuses = [call["status"] for call in results["a3"]["endpoints"]]
    assert statuses == [200, 200, 200, 200, 400, 200, 200, 400, 200, 400, 200, 200]
