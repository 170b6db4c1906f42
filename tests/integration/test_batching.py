"""Pipelined batches and slow routes: requests that arrive together for one replica go out
together only when their route has shown itself quick, so a quick request never waits behind a
slow one (dataplane/route_speed.hpp). The replica is aiohttp (replicas/echo_aiohttp.py), which
answers the requests pipelined on one connection one after another, as most servers do."""

import concurrent.futures
import json
import os
import socket
import subprocess
import time

import requests

from ringlb_procs import binary
from test_stream_limits import metric
from wire import read_answer

HERE = os.path.dirname(os.path.abspath(__file__))
AIOHTTP = f"/usr/bin/python3 {HERE}/replicas/echo_aiohttp.py"
SLOW_MS = 2000


def aiohttp_balancer(start_balancer):
    # One worker and one replica: every request meets the others in the same batches.
    return start_balancer("--replica-command", AIOHTTP, "--start-timeout", "30s", "--upstream-batch", "16",
                          replicas=1, threads=1)


def echoes(lb, clients, each):
    """`clients` keep-alive clients sending `each` echo requests one after another."""
    def run(client):
        with requests.Session() as session:
            for i in range(each):
                token = f"c{client}-{i}"
                response = session.get(lb.url(f"/echo/{token}"), timeout=20)
                assert response.status_code == 200 and response.json()["token"] == token, response.text
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, range(clients)))


def test_quick_requests_arriving_together_are_still_batched(start_balancer):
    lb = aiohttp_balancer(start_balancer)
    # 64 connections kept busy: the worker reads several requests for the replica in one turn.
    run = subprocess.run([binary("ringlb-load"), "run", "--url", lb.url("/echo/x"), "--concurrency", "64",
                          "--requests", "5000", "--max-seconds", "60", "--json", "--quiet"],
                         capture_output=True, text=True, timeout=90, check=True)
    assert json.loads(run.stdout)["failed"] == 0, run.stdout
    assert metric(lb, "ringlb_batched_requests_total") > 0


def test_a_quick_request_never_waits_behind_a_slow_one(start_balancer):
    lb = aiohttp_balancer(start_balancer)
    echoes(lb, 8, 20)  # /echo has answered quickly, many times in a row: it may be batched
    count = 24
    sockets = [socket.create_connection(("127.0.0.1", lb.port), timeout=SLOW_MS / 1000 + 10) for _ in range(count)]
    try:
        started = time.monotonic()
        # Sent at once, the slow one first: one worker reads them in the same turn of its loop.
        sockets[0].sendall(f"GET /slow/s?ms={SLOW_MS} HTTP/1.1\r\nHost: lb\r\n\r\n".encode())
        for i, sock in enumerate(sockets[1:], 1):
            sock.sendall(f"GET /echo/q{i} HTTP/1.1\r\nHost: lb\r\n\r\n".encode())
        quick_waits = []
        for i, sock in enumerate(sockets[1:], 1):
            answer = read_answer(sock)
            quick_waits.append(time.monotonic() - started)
            assert b" 200 " in answer.split(b"\r\n")[0] and f'"q{i}"'.encode() in answer, answer[:300]
        slow_answer = read_answer(sockets[0])
        slow_wait = time.monotonic() - started
    finally:
        for sock in sockets:
            sock.close()
    assert b" 200 " in slow_answer.split(b"\r\n")[0], slow_answer[:300]
    assert slow_wait >= SLOW_MS / 1000
    # Behind the slow request, every quick one would have waited its 2 s.
    assert max(quick_waits) < SLOW_MS / 1000 / 2, quick_waits
