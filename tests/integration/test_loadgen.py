"""`ringlb-load run` against real replicas and small stand-in servers, all on 127.0.0.1."""

import http.server
import json
import signal
import socket
import subprocess
import threading
import time

import pytest

from ringlb_procs import binary

MASK64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def six_digit_keys(seed, count):
    """The keys `simulate --key-space six-digit --seed SEED` places: SplitMix64, then Lemire's
    multiply-shift onto 100000..999999 (src/loadgen/simulation.cpp)."""
    keys = []
    state = seed
    for _ in range(count):
        z = (state + GAMMA) & MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        keys.append(100000 + ((z * 900000) >> 64))
        state = (state + GAMMA) & MASK64
    return keys


def load(url, *args, timeout=60):
    """Runs `ringlb-load run --json` and returns (exit code, parsed report or None, stderr)."""
    proc = subprocess.run([binary("ringlb-load"), "run", "--url", url, "--json", *args],
                          capture_output=True, text=True, timeout=timeout)
    report = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc.returncode, report, proc.stderr


def assert_counts_add_up(report):
    assert report["completed"] == report["succeeded"] + report["failed"]
    assert report["succeeded"] == sum(report["replicas"].values()) + report["unattributed"]
    assert report["failed"] == sum(report["errors"].values())
    assert report["completed"] <= report["sent"] <= report["requests"]


class RecordingServer:
    """A keep-alive HTTP/1.1 server that answers like a replica on every path and remembers every
    request's path, key header and the client port it came from. The server ID it answers with is
    key % 3 + 1. Paths under /sleep answer after SLEEP_SECONDS."""

    SLEEP_SECONDS = 0.1

    def __init__(self):
        self.keys = []
        self.paths = []
        self.client_ports = set()
        lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body go out in two writes: with Nagle's algorithm the second
            # waits for the client's delayed ACK, 40 ms a request.
            disable_nagle_algorithm = True

            def do_GET(self):
                key = self.headers.get("X-Request-Id")
                with lock:
                    outer.keys.append(key)
                    outer.paths.append(self.path)
                    outer.client_ports.add(self.client_address[1])
                if self.path.startswith("/sleep"):
                    time.sleep(RecordingServer.SLEEP_SECONDS)
                server_id = int(key) % 3 + 1 if key and key.isdigit() else 7
                body = json.dumps({"message": f"Hello from Server: {server_id}",
                                   "status": "successful"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/home"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording_server():
    server = RecordingServer()
    yield server
    server.close()


@pytest.fixture
def silent_listener():
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    yield sock.getsockname()[1]
    sock.close()


def test_counts_every_answer_of_a_replica(start_replica):
    replica = start_replica(3)
    code, report, _ = load(replica.url("/home"), "--requests", "500", "--concurrency", "8",
                           "--seed", "5")
    assert code == 0
    assert report["succeeded"] == 500
    assert report["replicas"] == {"3": 500}
    assert report["errors"] == {}
    assert report["statuses"] == {"200": 500}
    assert report["seed"] == 5 and report["request_ids"] == "random"
    latency = report["latency_ms"]
    assert latency["count"] == 500
    assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]
    assert report["stopped_early"] is False
    assert_counts_add_up(report)


def test_text_summary_by_default(start_replica):
    replica = start_replica(2)
    proc = subprocess.run([binary("ringlb-load"), "run", "--url", replica.url("/home"),
                           "--requests", "50"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "50 succeeded, 0 failed" in proc.stdout
    assert "100.00%" in proc.stdout
    # Not a terminal: no progress bar.
    assert proc.stderr == ""


def test_random_ids_are_the_simulators_keys_over_few_connections(recording_server):
    code, report, _ = load(recording_server.url(), "--requests", "300", "--concurrency", "4",
                           "--seed", "11")
    assert code == 0
    expected = six_digit_keys(11, 300)
    assert sorted(int(k) for k in recording_server.keys) == sorted(expected)
    # Keep-alive: each connection sends many requests.
    assert len(recording_server.client_ports) <= 4
    counts = {}
    for key in expected:
        counts[str(key % 3 + 1)] = counts.get(str(key % 3 + 1), 0) + 1
    assert report["replicas"] == counts


def test_no_ids_and_fixed_ids(recording_server):
    code, report, _ = load(recording_server.url(), "--requests", "20", "--request-ids", "none")
    assert code == 0
    assert recording_server.keys == [None] * 20
    assert report["replicas"] == {"7": 20}

    recording_server.keys.clear()
    code, report, _ = load(recording_server.url(), "--requests", "9", "--concurrency", "1",
                           "--request-ids", "100,200,abc")
    assert code == 0
    assert recording_server.keys == ["100", "200", "abc"] * 3
    assert report["request_ids"] == "fixed:3"
    assert report["replicas"] == {"2": 3, "3": 3, "7": 3}


def test_other_endpoints_count_as_unattributed_or_failed(start_replica):
    replica = start_replica(1)
    code, report, _ = load(replica.url("/heartbeat"), "--requests", "40")
    assert code == 0
    assert report["unattributed"] == 40 and report["replicas"] == {}
    code, report, stderr = load(replica.url("/other"), "--requests", "40")
    assert code == 1 and "no request succeeded" in stderr
    assert report["errors"] == {"http_404": 40}
    assert_counts_add_up(report)


def test_nothing_listening_is_connect_errors(silent_listener):
    # A port that was bound and released: nothing listens there now.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    code, report, _ = load(f"http://127.0.0.1:{port}/home", "--requests", "30")
    assert code == 1
    assert report["errors"] == {"connect": 30}
    assert_counts_add_up(report)


def test_timeouts_and_the_run_bound(silent_listener):
    started = time.monotonic()
    code, report, _ = load(f"http://127.0.0.1:{silent_listener}/home", "--requests", "1000",
                           "--concurrency", "4", "--timeout", "200ms", "--max-seconds", "1")
    assert code == 1
    assert time.monotonic() - started < 30  # bounded, generously: this is no speed test
    assert report["stopped_early"] is True
    assert report["succeeded"] == 0
    assert report["errors"].get("timeout", 0) > 0
    assert set(report["errors"]) <= {"timeout", "aborted"}
    assert report["sent"] < 1000
    assert_counts_add_up(report)


def test_replica_killed_during_a_paced_run(start_replica):
    replica = start_replica(4)
    proc = subprocess.Popen([binary("ringlb-load"), "run", "--url", replica.url("/home"),
                             "--requests", "600", "--concurrency", "4", "--rate", "300",
                             "--timeout", "1s", "--timeline", "--timeline-interval", "250ms",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.8)  # the point: a kill in the middle of the 2 s paced run
        replica.signal(signal.SIGKILL)
        stdout, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    report = json.loads(stdout)
    assert proc.returncode == 0
    assert 0 < report["succeeded"] < 600
    assert report["failed"] > 0
    assert set(report["errors"]) <= {"connect", "closed"}
    assert report["sent"] == 600
    assert_counts_add_up(report)
    buckets = report["timeline"]["buckets"]
    assert report["timeline"]["interval_seconds"] == 0.25
    assert sum(sum(b["replicas"].values()) for b in buckets) == report["succeeded"]
    assert sum(b["failed"] for b in buckets) == report["failed"]
    # Answers first, failures after the kill.
    first_failure = next(i for i, b in enumerate(buckets) if b["failed"])
    assert all(not b["replicas"] for b in buckets[first_failure + 1:])


def test_rejects_bad_options():
    for args in (["--url", "ftp://127.0.0.1/home"], ["--requests", "0"],
                 ["--timeout", "5"], ["--request-ids", "a,,b"], ["--concurrency", "0"]):
        proc = subprocess.run([binary("ringlb-load"), "run", *args], capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode != 0, args
        assert proc.stderr, args


def test_rejects_a_bad_path_mix_or_an_open_loop_without_rate():
    for args, flag in ((["--path", "/a=0"], "--path"), (["--path", "/a=-2"], "--path"),
                       (["--path", "/a="], "--path"), (["--path", "home=2"], "--path"),
                       (["--path", "/a", "--path", "/a=3"], "--path"),
                       (["--open-loop"], "--open-loop"),
                       (["--open-loop", "--rate", "0"], "--open-loop")):
        proc = subprocess.run([binary("ringlb-load"), "run", "--requests", "1", *args],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode != 0, args
        assert proc.stderr.startswith(flag + ":"), (args, proc.stderr)


def test_path_mix_follows_the_weights_and_reports_each_path(start_replica):
    replica = start_replica(3)
    code, report, _ = load(replica.url("/home"), "--path", "/home=9", "--path", "/heartbeat=1",
                           "--requests", "10000", "--concurrency", "8", "--seed", "21")
    assert code == 0
    assert report["succeeded"] == 10000
    home, heartbeat = report["paths"]
    assert (home["path"], home["weight"], heartbeat["path"], heartbeat["weight"]) == \
        ("/home", 9, "/heartbeat", 1)
    assert abs(home["count"] / 10000 - 0.9) <= 0.02
    assert home["count"] + heartbeat["count"] == 10000
    # Each path's answers are its own: /home names the server, /heartbeat does not.
    assert report["replicas"] == {"3": home["count"]}
    assert report["unattributed"] == heartbeat["count"]
    for path in (home, heartbeat):
        assert path["failed"] == 0 and path["errors"] == {}
        latency = path["latency_ms"]
        assert latency["count"] == path["count"]
        assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["p99_9"] \
            <= latency["max"] <= report["latency_ms"]["max"]
    assert_counts_add_up(report)


def test_the_same_seed_sends_the_same_paths(recording_server):
    def paths_of(seed):
        recording_server.paths.clear()
        code, _, _ = load(recording_server.url(), "--path", "/a=2", "--path", "/b", "--path",
                          "/c=1", "--requests", "200", "--concurrency", "1", "--seed", str(seed))
        assert code == 0
        return list(recording_server.paths)

    first = paths_of(5)
    assert set(first) == {"/a", "/b", "/c"}
    assert paths_of(5) == first
    assert paths_of(6) != first


def test_each_path_has_its_own_latency(recording_server):
    code, report, _ = load(recording_server.url(), "--path", "/fast=4", "--path", "/sleep=1",
                           "--requests", "200", "--concurrency", "4", "--seed", "2")
    assert code == 0
    fast, slow = report["paths"]
    assert slow["count"] > 0 and fast["count"] > 0
    assert slow["latency_ms"]["p50"] >= RecordingServer.SLEEP_SECONDS * 1000
    assert fast["latency_ms"]["p50"] < RecordingServer.SLEEP_SECONDS * 1000 / 2
    assert report["latency_ms"]["max"] == max(fast["latency_ms"]["max"], slow["latency_ms"]["max"])


def test_open_loop_keeps_to_the_rate(start_replica):
    replica = start_replica(2)
    code, report, _ = load(replica.url("/home"), "--open-loop", "--rate", "200", "--requests",
                           "600", "--concurrency", "4", "--seed", "3")
    assert code == 0
    assert report["open_loop"] is True and report["succeeded"] == 600
    # 600 requests scheduled 5 ms apart: the last is due at 2.995 s.
    assert abs(report["completed"] / report["elapsed_seconds"] - 200) <= 20
    assert report["elapsed_seconds"] >= 2.995
    assert report["lateness"] is not None


def test_open_loop_with_idle_connections_reports_no_lateness(start_replica):
    # 16 connections, a request every 20 ms: every request finds an idle one, the first included.
    replica = start_replica(1)
    code, report, _ = load(replica.url("/home"), "--open-loop", "--rate", "50", "--requests",
                           "50", "--concurrency", "16")
    assert code == 0
    assert report["succeeded"] == 50
    assert report["lateness"] == {"late": 0, "worst_ms": 0}


def test_open_loop_reports_lateness_where_a_closed_loop_hides_it(recording_server):
    # Two connections to a route that takes 100 ms serve 20 requests a second; 50 are asked for.
    common = ["--path", "/sleep", "--concurrency", "2", "--seed", "4"]
    code, closed, _ = load(recording_server.url(), *common, "--requests", "30", "--rate", "50")
    assert code == 0
    code, opened, _ = load(recording_server.url(), *common, "--requests", "100", "--rate", "50",
                           "--open-loop")
    assert code == 0
    assert closed["lateness"] is None
    # The closed loop waits for each answer, so its latency is the route's own time ...
    assert closed["latency_ms"]["p50"] < 1000
    # ... while the open loop's requests fall behind their schedule (100 requests due over 2 s,
    # served over 5 s) and their latency runs from it.
    lateness = opened["lateness"]
    assert lateness["late"] > 50
    assert lateness["worst_ms"] > 1500
    assert opened["latency_ms"]["max"] >= lateness["worst_ms"] + RecordingServer.SLEEP_SECONDS * 1000
    assert opened["paths"][0]["latency_ms"]["max"] == opened["latency_ms"]["max"]
    assert opened["completed"] / opened["elapsed_seconds"] < 25
