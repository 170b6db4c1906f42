"""Running out of file descriptors must never take healthy replicas down (ringlb under a low
`ulimit -n`, flooded with idle client connections)."""

import json
import os
import resource
import socket
import time

import pytest
import requests

from ringlb_procs import Process, binary, wait_until


def low_limit(soft, hard=None):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard or soft))
    return apply


def start_limited(limit, *args, hard=None):
    return Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                    "--replicas", "3", "--max-replicas", "10", *args],
                   ready_timeout=30, preexec_fn=low_limit(limit, hard))


def flood(port, count, first=b""):
    """Opens `count` idle connections (as many as connect), each sending `first`; returns them."""
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(first)
        except OSError:
            s.close()
            continue
        sockets.append(s)
    return sockets


def answer_of(port, timeout=3.0):
    """The status line a fresh client gets for GET /home, or None when it gets nothing in time."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            return None
        return data.split(b"\r\n", 1)[0].decode() if data else ""


def whole_answer(port, timeout=3.0):
    """Everything a fresh client gets for GET /home until ringlb closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
        return data.decode()


def cpu_seconds(pid):
    """The user and system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def samples(lb):
    """(series, value) for each sample of /metrics."""
    lines = requests.get(lb.url("/metrics"), timeout=5).text.splitlines()
    return [(series, float(value)) for series, value in
            (line.rsplit(" ", 1) for line in lines if line and not line.startswith("#"))]


def metric(lb, series):
    values = [value for name, value in samples(lb) if name == series]
    assert values, f"{series} is not in /metrics"
    return values[0]


def restarts(lb):
    return sum(value for name, value in samples(lb) if name.startswith("ringlb_replica_restarts_total{"))


def assert_replicas_untouched(lb, names_before):
    log = lb.stderr()
    assert "event=replica_down" not in log, log
    assert "event=replica_replaced" not in log, log
    assert requests.get(lb.url("/rep"), timeout=5).json()["message"]["replicas"] == names_before
    assert restarts(lb) == 0


def test_a_default_max_connections_that_does_not_fit_is_lowered_and_the_rest_get_503():
    lb = start_limited(256)
    try:
        # 64 + 8 x 2 workers + 4 x 10 replicas reserved, an eighth of the rest for pipes
        # ((256 - 120) / 8 / 2 = 8 pipes): (256 - 120 - 16) / 2 = 60 connections.
        assert "event=max_connections_lowered from=10000 to=60" in lb.stderr()
        names = requests.get(lb.url("/rep"), timeout=5).json()["message"]["replicas"]
        held = flood(lb.port, 2 * 68)
        try:
            # The flood's connections are made once the kernel has them; ringlb accepts them
            # after, each listener at its own pace: a client may be served until all are in.
            wait_until(lambda: answer_of(lb.port) == "HTTP/1.1 503 Service Unavailable", 5,
                       what="the connection limit reached")
            started = time.monotonic()
            assert answer_of(lb.port) == "HTTP/1.1 503 Service Unavailable"
            assert time.monotonic() - started < 2
            time.sleep(1.5)  # a few heartbeat rounds while the flood holds every connection
            assert "event=replica_down" not in lb.stderr(), lb.stderr()
        finally:
            for s in held:
                s.close()
        wait_until(lambda: answer_of(lb.port) == "HTTP/1.1 200 OK", 5, what="served again after the flood")
        assert_replicas_untouched(lb, names)
    finally:
        lb.stop()


def test_a_given_max_connections_that_does_not_fit_stops_the_start():
    with pytest.raises(RuntimeError, match="--max-connections 10000 needs"):
        start_limited(256, "--max-connections", "10000")


def test_out_of_descriptors_the_waiting_clients_get_503_and_no_replica_is_replaced():
    # No connection limit: the process itself runs out of descriptors. Accepts, heartbeat probes
    # and upstream connects then fail with EMFILE; none of that is the replicas' fault.
    lb = start_limited(256, "--max-connections", "0")
    try:
        names = requests.get(lb.url("/rep"), timeout=5).json()["message"]["replicas"]
        held = flood(lb.port, 300)
        try:
            wait_until(lambda: "event=descriptors_exhausted" in lb.stderr(), 5, what="descriptors_exhausted")
            started = time.monotonic()
            assert answer_of(lb.port, timeout=5) == "HTTP/1.1 503 Service Unavailable"
            assert time.monotonic() - started < 3
            # Heartbeats keep failing locally all this time (the first one within a probe interval,
            # seconds on a loaded machine), and no replica is taken for down. A probe that was open
            # when the flood took the last descriptor gives its number back when it ends, and the
            # next probe could use it: one more client each round takes any number left free. It
            # sends a byte, as ringlb defers accepts while out of descriptors until bytes arrive.
            def probes_fail_locally():
                held.extend(flood(lb.port, 1, first=b"G"))
                return "event=probe_local_failure" in lb.stderr()
            wait_until(probes_fail_locally, 10, interval=0.2,
                       what=lambda: f"probe_local_failure in the log:\n{lb.stderr()}")
            time.sleep(1.5)
            assert "event=replica_down" not in lb.stderr(), lb.stderr()
        finally:
            for s in held:
                s.close()
        wait_until(lambda: answer_of(lb.port) == "HTTP/1.1 200 OK", 5, what="served again after the flood")
        assert_replicas_untouched(lb, names)
        metrics = requests.get(lb.url("/metrics"), timeout=5).text
        for series in ("ringlb_connections_refused_total{reason=\"descriptors\"}", "ringlb_client_connections ",
                       "ringlb_upstream_connections ", "ringlb_open_files ", "ringlb_open_files_limit 256",
                       "ringlb_local_failures_total{what=\"probe\"}"):
            assert series in metrics, series
    finally:
        lb.stop()


def test_the_soft_limit_is_raised_to_the_hard_one_before_the_budget_is_made():
    lb = start_limited(256, hard=512)
    try:
        assert metric(lb, "ringlb_open_files_limit") == 512
        # (512 - 120) / 8 / 2 = 24 pipes: (512 - 120 - 48) / 2 = 172 connections.
        assert "event=max_connections_lowered from=10000 to=172" in lb.stderr(), lb.stderr()
    finally:
        lb.stop()


def test_a_client_refused_for_want_of_descriptors_gets_the_json_503_and_ringlb_stays_idle():
    lb = start_limited(256, "--max-connections", "0")
    try:
        held = flood(lb.port, 300)
        try:
            wait_until(lambda: "event=descriptors_exhausted" in lb.stderr(), 5, what="descriptors_exhausted")
            # Each one whole, never cut by a reset: ringlb reads the request it drops first.
            for _ in range(10):
                answer = whole_answer(lb.port)
                head, body = answer.split("\r\n\r\n", 1)
                assert head.startswith("HTTP/1.1 503 Service Unavailable\r\n"), answer
                assert "Content-Type: application/json" in head, answer
                assert json.loads(body) == {"message": "<Error> too many connections, try again later",
                                            "status": "failure"}
            # Out of descriptors with clients still arriving: the listeners pause between accepts
            # instead of spinning on EMFILE.
            before = cpu_seconds(lb.proc.pid)
            for _ in range(20):
                held.extend(flood(lb.port, 1, first=b"G"))  # bytes, so that no accept is deferred
                time.sleep(0.1)
            used = cpu_seconds(lb.proc.pid) - before
            assert used < 1.0, f"{used:.2f} s of CPU in 2 s while out of descriptors"
        finally:
            for s in held:
                s.close()
        wait_until(lambda: answer_of(lb.port) == "HTTP/1.1 200 OK", 5, what="served again after the flood")
        assert "event=descriptors_available" in lb.stderr(), lb.stderr()
        assert metric(lb, 'ringlb_connections_refused_total{reason="descriptors"}') >= 1
    finally:
        lb.stop()
