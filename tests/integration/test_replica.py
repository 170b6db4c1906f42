"""ringlb-server, the replica, driven over real sockets (docs/contract.md, "Replica server")."""

import signal
import socket
import subprocess
import time

import requests

from ringlb_procs import allocator_of, binary, pid_alive
from wire import raw_exchange, read_answer, segments_received


def test_home_is_exact_spec_json(start_replica):
    replica = start_replica(3)
    response = requests.get(replica.url("/home"), timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.text == '{"message": "Hello from Server: 3", "status": "successful"}'


def test_server_id_from_environment(start_replica):
    replica = start_replica(None, env={"SERVER_ID": "42"})
    assert requests.get(replica.url("/home"), timeout=5).json() == {
        "message": "Hello from Server: 42", "status": "successful"}


def test_heartbeat_is_empty_200(start_replica):
    response = requests.get(start_replica().url("/heartbeat"), timeout=5)
    assert response.status_code == 200
    assert response.content == b""


def test_other_paths_are_404_json(start_replica):
    response = requests.get(start_replica().url("/other"), timeout=5)
    assert response.status_code == 404
    assert response.json() == {"message": "<Error> '/other' endpoint does not exist", "status": "failure"}


def test_query_string_is_not_part_of_the_path(start_replica):
    replica = start_replica(7)
    assert requests.get(replica.url("/home?x=1"), timeout=5).json()["message"] == "Hello from Server: 7"
    response = requests.get(replica.url("/other?q=1"), timeout=5)
    assert response.status_code == 404
    assert response.json()["message"] == "<Error> '/other' endpoint does not exist"


def test_keep_alive_serves_many_requests_on_one_connection(start_replica):
    replica = start_replica(5)
    count = 500
    request = b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        # Pipelined: all requests in one write, then all answers on the same connection.
        sock.sendall(request * (count - 1) + b"GET /home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK") == count
    assert received.count(b"Hello from Server: 5") == count


def test_pipelined_requests_are_answered_in_one_write(start_replica):
    # Twenty requests that arrive together are answered together: the answers are held back while
    # the next request is already buffered (net/keep_alive_session.hpp), so they leave in one
    # write; answered one write each, they would arrive in about twenty segments.
    replica = start_replica(6)
    count = 20
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(sock).startswith(b"HTTP/1.1 200 OK")
        before = segments_received(sock)
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n" * count)
        received = b""
        while received.count(b'"status": "successful"}') < count:
            chunk = sock.recv(65536)
            assert chunk, "the replica closed the connection"
            received += chunk
        arrived_in = segments_received(sock) - before
    assert received.count(b"HTTP/1.1 200 OK") == count
    assert arrived_in <= 2, f"{count} pipelined answers arrived in {arrived_in} segments"


def test_answer_is_not_held_back_for_a_request_still_arriving(start_replica):
    # A whole request followed by part of the next: the first answer must go out while the
    # replica waits for the rest, not wait with it.
    replica = start_replica(7)
    with socket.create_connection(("127.0.0.1", replica.port), timeout=2) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\nGET /home HTTP/1.1\r\nHo")
        assert b"Hello from Server: 7" in read_answer(sock)
        sock.sendall(b"st: x\r\n\r\n")
        assert b"Hello from Server: 7" in read_answer(sock)


def test_quiet_keep_alive_connection_is_held_and_served_again(start_replica):
    # A connection quiet for more than two deadline ticks (200 ms) is parked: its session ends and
    # the server holds the bare socket (net/server.hpp). Its next request must be served as before.
    replica = start_replica(4)
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        for _ in range(3):
            sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = read_answer(sock)
            assert answer.startswith(b"HTTP/1.1 200 OK") and b"Hello from Server: 4" in answer
            time.sleep(0.5)  # the point: quiet long enough to be parked
        # A request that arrives in pieces after a pause is still one request.
        sock.sendall(b"GET /home HTTP/1.1\r\n")
        time.sleep(0.05)  # the point: a pause between the pieces
        sock.sendall(b"Host: x\r\n\r\n")
        assert read_answer(sock).startswith(b"HTTP/1.1 200 OK")


def test_sigterm_closes_held_connections(start_replica):
    replica = start_replica()
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(sock).startswith(b"HTTP/1.1 200 OK")
        time.sleep(0.5)  # parked by now
        replica.signal(signal.SIGTERM)
        assert replica.wait(timeout=5) == 0
        assert sock.recv(1) == b""


def test_allocates_with_jemalloc_returning_freed_pages(start_replica):
    # src/allocator: jemalloc, with a background thread that gives freed pages back.
    replica = start_replica()
    assert allocator_of(replica.pid) in ("jemalloc", "sanitizer")


def test_malformed_request_gets_400_and_server_survives(start_replica):
    replica = start_replica()
    answer = raw_exchange(replica.port, b"THIS IS NOT HTTP\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b'"status": "failure"' in answer
    assert requests.get(replica.url("/home"), timeout=5).status_code == 200


def test_oversized_headers_get_431(start_replica):
    replica = start_replica(1, "--max-header-bytes", "2048")
    answer = raw_exchange(replica.port, b"GET /home HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 4096 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_oversized_body_gets_413(start_replica):
    replica = start_replica(1, "--max-body-bytes", "1024")
    answer = raw_exchange(replica.port, b"POST /home HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + b"a" * 5000)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_idle_connection_is_closed_after_idle_timeout(start_replica):
    replica = start_replica(1, "--idle-timeout", "300ms")
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # closed by the server, not by our 5 s timeout
        assert time.monotonic() - started < 3


def test_slow_client_is_cut_off_after_request_timeout(start_replica):
    replica = start_replica(1, "--request-timeout", "500ms")
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        started = time.monotonic()
        assert sock.recv(4096) == b""
        assert time.monotonic() - started < 3


def test_sigterm_exits_zero_and_leaves_nothing(start_replica):
    replica = start_replica()
    # An idle keep-alive client must not hold the shutdown up.
    with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as sock:
        sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200 OK" in sock.recv(4096)
        replica.signal(signal.SIGTERM)
        assert replica.wait(timeout=5) == 0
    assert not pid_alive(replica.pid)
    assert "server_stopped" in replica.stderr()


def test_healthcheck_mode(start_replica):
    replica = start_replica()
    ok = subprocess.run([binary("ringlb-server"), "--healthcheck", replica.url("/heartbeat")], timeout=10)
    assert ok.returncode == 0
    missing = subprocess.run([binary("ringlb-server"), "--healthcheck", replica.url("/nope")],
                             capture_output=True, timeout=10)
    assert missing.returncode == 1
    replica.stop()
    down = subprocess.run([binary("ringlb-server"), "--healthcheck", replica.url("/heartbeat"),
                           "--healthcheck-timeout", "500ms"], capture_output=True, timeout=10)
    assert down.returncode == 1
    assert b"unhealthy" in down.stderr


def test_bad_flags_fail_with_a_clear_message():
    result = subprocess.run([binary("ringlb-server"), "--id", "1", "--host", "not-an-ip", "--port", "0"],
                            capture_output=True, timeout=10)
    assert result.returncode != 0
    assert b"not-an-ip" in result.stderr
    result = subprocess.run([binary("ringlb-server")], capture_output=True, timeout=10)
    assert result.returncode != 0
    assert b"server ID" in result.stderr


def test_port_in_use_is_refused_clearly(start_replica):
    first = start_replica()
    result = subprocess.run([binary("ringlb-server"), "--id", "2", "--host", "127.0.0.1",
                             "--port", str(first.port)], capture_output=True, timeout=10)
    assert result.returncode != 0
    assert b"cannot listen on 127.0.0.1:" in result.stderr
    assert b"in use" in result.stderr
