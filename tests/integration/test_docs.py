"""The docs against the sources: every event ringlb logs has a row in docs/operations.md's event
table ("Watching it"), and every event that table names is one the sources log."""

import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SRC = os.path.join(ROOT, "src")
OPERATIONS = os.path.join(ROOT, "docs", "operations.md")

# log::info("event", ...) and its siblings, the event literal possibly on the next line; and
# net/server.cpp's log_if_failed(failure, "event"), which passes the name on to log::error.
LOGGED = re.compile(r'\blog::(?:debug|info|warn|error)\(\s*"([a-z0-9_]+)"'
                    r'|\blog_if_failed\(\s*\w+\s*,\s*"([a-z0-9_]+)"')


def logged_events():
    """{event: first file that logs it} over every C++ source under src/."""
    found = {}
    for folder, _, files in os.walk(SRC):
        for name in sorted(files):
            if name.endswith((".cpp", ".hpp")):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    for match in LOGGED.finditer(f.read()):
                        found.setdefault(match.group(1) or match.group(2), os.path.relpath(path, ROOT))
    return found


def table_events():
    """The backquoted names in the first column of the table under "## Watching it"."""
    with open(OPERATIONS, encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Watching it\n", 1)[1].split("\n## ", 1)[0]
    events = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            events.update(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    return events


def test_the_finder_sees_the_events_it_is_meant_to_see():
    # Guards the check below against a pattern that matches nothing: events logged in each way.
    events = logged_events()
    assert {"replica_start_failed", "docker_replica_adopted", "connection_failed"} <= set(events)
    assert len(events) >= 40, sorted(events)


def test_every_logged_event_has_a_row_in_the_operations_table():
    documented = table_events()
    missing = {event: where for event, where in logged_events().items() if event not in documented}
    assert not missing, f"logged but not in docs/operations.md's event table: {missing}"


def test_every_event_in_the_operations_table_is_logged():
    stale = table_events() - set(logged_events())
    assert not stale, f"in docs/operations.md's event table but logged nowhere in src/: {sorted(stale)}"
