"""The chaos run in a shortened form (the full one: tests/chaos/chaos.py with its defaults)."""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def test_short_chaos_run_loses_nothing(tmp_path):
    out = tmp_path / "chaos.json"
    result = subprocess.run([sys.executable, os.path.join(HERE, "chaos.py"), "--clients", "50", "--seconds", "10",
                             "--kill-every", "2", "--warmup", "2", "--json", str(out)],
                            capture_output=True, text=True, timeout=180)
    summary = json.loads(out.read_text())
    print(result.stdout)
    assert summary["killed"] >= 3, "the run must actually kill replicas"
    assert summary["adds"] + summary["removes"] >= 4, "and change membership"
    assert summary["requests"] > 1000
    assert summary["flood_connections"] >= 400, "and flood it with connections"
    failed_checks = [name for name, ok in summary["checks"].items() if not ok]
    assert failed_checks == [], (failed_checks, summary)
    assert result.returncode == 0
