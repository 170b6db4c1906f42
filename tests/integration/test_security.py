"""ringlb's doors: admin token and address, client limits, and state that survives a restart."""

import json
import os
import select
import signal
import socket
import subprocess
import time

import requests

from ringlb_procs import Process, binary, pid_alive, wait_until
from wire import raw_exchange


def test_admin_token_guards_changes_not_reads(start_balancer):
    lb = start_balancer(env={"RINGLB_ADMIN_TOKEN": "s3cret"})
    assert requests.get(lb.url("/rep"), timeout=10).status_code == 200
    assert requests.get(lb.url("/metrics"), timeout=10).status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"},
                    {"Authorization": "Bearer s3cret2"}):
        response = requests.post(lb.url("/add"), json={"n": 1}, headers=headers, timeout=30)
        assert response.status_code == 401, headers
        assert response.json()["message"].startswith("<Error> '/add' needs the admin token")
        assert requests.delete(lb.url("/rm"), json={"n": 1}, headers=headers, timeout=30).status_code == 401
    ok = requests.post(lb.url("/add"), json={"n": 1}, headers={"Authorization": "Bearer s3cret"}, timeout=30)
    assert ok.status_code == 200 and ok.json()["message"]["N"] == 4
    assert "admin_api_unprotected" not in lb.stderr()


def test_admin_token_can_guard_metrics(start_balancer):
    lb = start_balancer("--admin-token-metrics", env={"RINGLB_ADMIN_TOKEN": "t"})
    assert requests.get(lb.url("/metrics"), timeout=10).status_code == 401
    assert requests.get(lb.url("/metrics"), headers={"Authorization": "Bearer t"}, timeout=10).status_code == 200


def test_admin_api_on_its_own_address(start_balancer):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        admin_port = s.getsockname()[1]
    lb = start_balancer("--admin-listen", f"127.0.0.1:{admin_port}")
    admin = f"http://127.0.0.1:{admin_port}"
    assert requests.get(admin + "/rep", timeout=10).json()["message"]["N"] == 3
    assert requests.post(admin + "/add", json={"n": 1}, timeout=30).status_code == 200
    moved = requests.get(lb.url("/rep"), timeout=10)
    assert moved.status_code == 404
    assert "served on the admin address only" in moved.json()["message"]
    assert requests.get(lb.url("/home"), timeout=10).status_code == 200
    assert requests.get(admin + "/home", timeout=10).status_code == 404


def test_open_admin_api_is_warned_about(start_balancer):
    lb = start_balancer()  # 127.0.0.1: no warning
    assert "admin_api_unprotected" not in lb.stderr()
    proc = Process([binary("ringlb"), "--host", "0.0.0.0", "--port", "0", "--replicas", "0", "--threads", "1"])
    try:
        assert "admin_api_unprotected" in proc.stderr()
    finally:
        proc.stop()


def test_connections_past_the_limit_are_refused_clearly(start_balancer):
    lb = start_balancer("--max-connections", "4")
    held = [socket.create_connection(("127.0.0.1", lb.port), timeout=5) for _ in range(4)]
    try:
        # Refused once ringlb has accepted the four held connections; until then the request is
        # served (and closed: Connection: close), and asked again.
        seen = []

        def refused():
            # A held connection that arrived while the start-up check's connection still counted
            # was itself refused (readable: the 503, then the close); another takes its place.
            for i, sock in enumerate(held):
                if select.select([sock], [], [], 0)[0]:
                    sock.close()
                    held[i] = socket.create_connection(("127.0.0.1", lb.port), timeout=5)
            answer = raw_exchange(lb.port, b"GET /home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                  timeout=1)
            seen.append(answer.split(b"\r\n", 1)[0])
            return answer if answer.startswith(b"HTTP/1.1 503 ") else None
        # A loaded machine (the sanitizer builds, tests side by side) may take seconds to accept.
        answer = wait_until(refused, 15, what=lambda: f"a 503 past the limit (answers: {seen[-3:]})")
        assert b"too many connections" in answer
    finally:
        for sock in held:
            sock.close()
    # Served again once ringlb has seen the four close.
    wait_until(lambda: requests.get(lb.url("/home"), timeout=10).status_code == 200, 5, what="a 200 after closing")


def test_request_limits(start_balancer):
    lb = start_balancer("--max-url-bytes", "100", "--max-admin-body-bytes", "64", "--max-header-bytes", "2048")
    assert raw_exchange(lb.port, b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 414 ")
    big = requests.post(lb.url("/add"), data=json.dumps({"n": 1, "hostnames": ["x" * 10] * 10}), timeout=10)
    assert big.status_code == 413 and big.json()["status"] == "failure"
    headers = raw_exchange(lb.port, b"GET /home HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 4096 + b"\r\n\r\n")
    assert headers.startswith(b"HTTP/1.1 431 ")
    many = b"".join(b"X-%d: v\r\n" % i for i in range(150))
    assert raw_exchange(lb.port, b"GET /home HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n").startswith(b"HTTP/1.1 431 ")
    assert raw_exchange(lb.port, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert requests.get(lb.url("/home"), timeout=10).status_code == 200


def test_slow_clients_are_cut_off(start_balancer):
    lb = start_balancer("--request-timeout", "500ms")
    with socket.create_connection(("127.0.0.1", lb.port), timeout=5) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert sock.recv(4096) == b""
        assert time.monotonic() - started < 3


def test_membership_survives_a_restart(start_balancer, tmp_path):
    state = str(tmp_path / "state")
    lb = start_balancer("--state-dir", state)
    requests.post(lb.url("/add"), json={"n": 2, "hostnames": ["keep-me"]}, timeout=30)
    requests.delete(lb.url("/rm"), json={"n": 1, "hostnames": ["server-2"]}, timeout=30)
    before = requests.get(lb.url("/rep"), timeout=10).json()
    keys = [str(100000 + i * 7919) for i in range(40)]
    routes = {k: requests.get(lb.url("/home"), headers={"X-Request-Id": k}, timeout=10).json()["message"] for k in keys}
    pids = list(lb.replica_pids().values())
    lb.signal(signal.SIGKILL)
    lb.wait(timeout=10)
    wait_until(lambda: not any(pid_alive(p) for p in pids), 5, what="the replicas to exit with ringlb")

    again = start_balancer("--state-dir", state, replicas=7)  # --replicas yields to the saved state
    assert requests.get(again.url("/rep"), timeout=10).json() == before
    moved = [k for k in keys
             if requests.get(again.url("/home"), headers={"X-Request-Id": k}, timeout=10).json()["message"] != routes[k]]
    # The saved table is restored as it was, history included: no key moves.
    assert moved == []


def test_graceful_stop_keeps_the_saved_membership(start_balancer, tmp_path):
    state = str(tmp_path / "state")
    lb = start_balancer("--state-dir", state)
    requests.post(lb.url("/add"), json={"n": 1, "hostnames": ["stays"]}, timeout=30)
    lb.signal(signal.SIGTERM)
    assert lb.wait(timeout=15) == 0
    saved = json.load(open(os.path.join(state, "state.json")))
    assert [r["name"] for r in saved["replicas"]] == ["server-1", "server-2", "server-3", "stays"]


def test_corrupt_state_stops_the_start_with_a_clear_message(tmp_path):
    (tmp_path / "state.json").write_text('{"version": 1, "replicas": [{"name": "bad name", "id": 1}]}')
    result = subprocess.run([binary("ringlb"), "--port", "0", "--host", "127.0.0.1", "--state-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    assert "state.json is not valid" in result.stderr


def test_conflicting_framing_is_refused_not_smuggled(start_balancer):
    """Content-Length with Transfer-Encoding, or two different Content-Lengths: a 400 and a closed
    connection, so no second request can hide in the first one's body (RFC 9112 §6.3)."""
    echo = os.path.join(os.path.dirname(__file__), "echo_replica.py")
    lb = start_balancer("--replica-binary", echo)
    smuggled = b"GET /echo/hidden HTTP/1.1\r\nHost: x\r\n\r\n"
    for framing in (b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                    b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                    b"Content-Length: 4\r\nContent-Length: 40\r\n"):
        attack = (b"POST /echo/front HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n0\r\n\r\n" + smuggled)
        answer = raw_exchange(lb.port, attack)
        assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
        assert b"/echo/hidden" not in answer
