"""The edges of streaming through ringlb: an HTTP/1.0 client's streamed answer, a streamed upload
past --max-body-bytes, the request head the replica sees for a streamed body, and what /metrics
counts of streams and tunnels. Replicas: the aiohttp app of test_streaming.py."""

import asyncio
import socket
import time

import aiohttp
import requests

from ringlb_procs import wait_until
from streams import MiB, PatternChecker, pattern
from test_streaming import HTTP_TIMEOUT, streaming_balancer


def metric(lb, name):
    for line in requests.get(lb.url("/metrics"), timeout=5).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def read_to_close(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_an_http_1_0_client_gets_a_streamed_answer_ended_by_the_close(start_balancer):
    lb = streaming_balancer(start_balancer)
    size = 300_000  # past what is read whole, and chunked from the replica: no length to give
    answer = read_to_close(lb.port, f"GET /download?bytes={size}&framing=chunked HTTP/1.0\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    assert lines[0] == b"http/1.1 200 ok", head
    assert b"connection: close" in lines, head
    assert not any(line.startswith((b"transfer-encoding", b"content-length")) for line in lines), head
    checker = PatternChecker()
    checker.feed(body)
    checker.verify(size)


def test_an_http_1_1_client_gets_an_unframed_answer_chunked_and_keeps_its_connection(start_balancer):
    lb = streaming_balancer(start_balancer)
    with requests.Session() as session:
        for _ in range(2):
            response = session.get(lb.url(f"/download?bytes={1 * MiB}&framing=chunked"), timeout=HTTP_TIMEOUT)
            assert response.status_code == 200
            assert response.headers.get("Transfer-Encoding") == "chunked"
            assert response.content == pattern(0, 1 * MiB)
    assert metric(lb, "ringlb_streamed_answers_total") >= 2
    assert metric(lb, "ringlb_streams_cut_total") == 0


def test_a_streamed_upload_past_max_body_bytes_gets_413(start_balancer):
    lb = streaming_balancer(start_balancer, "--max-body-bytes", str(1 * MiB))

    def pieces():
        for offset in range(0, 4 * MiB, 64 * 1024):
            yield pattern(offset, 64 * 1024)
    # Chunked: the limit is found while the body streams, not from a length in the head.
    response = requests.post(lb.url("/upload"), data=pieces(), timeout=HTTP_TIMEOUT)
    assert response.status_code == 413, response.text
    assert response.json() == {"message": "<Error> request body too large", "status": "failure"}
    # With a length past the limit, it is refused from the head alone, before any of the body.
    answer = read_to_close(lb.port, f"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: {2 * MiB}\r\n"
                                    "Expect: 100-continue\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"100 Continue" not in answer
    # Under the limit, nothing changes.
    response = requests.post(lb.url("/upload"), data=pattern(0, MiB // 2), timeout=HTTP_TIMEOUT)
    assert response.status_code == 200 and response.json()["bytes"] == MiB // 2


async def echo_and_close(url):
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url)
        try:
            await ws.send_bytes(b"b" * 100_000)
            answer = await asyncio.wait_for(ws.receive(), 10)
            assert answer.data == b"b" * 100_000
        finally:
            await ws.close()


def test_metrics_count_tunnels_and_their_bytes(start_balancer):
    lb = streaming_balancer(start_balancer)
    asyncio.run(asyncio.wait_for(echo_and_close(lb.url("/ws")), 30))
    assert metric(lb, "ringlb_tunnels_total") == 1
    assert metric(lb, "ringlb_tunnel_bytes_total") >= 200_000  # the message, there and back
    wait_until(lambda: metric(lb, "ringlb_tunnels") == 0, 5, what="the tunnel closed in /metrics")


def test_an_endless_chunk_size_line_is_refused_not_buffered(start_balancer):
    lb = start_balancer()
    with socket.create_connection(("127.0.0.1", lb.port), timeout=10) as sock:
        sock.sendall(b"POST /home HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;")
        answer = b""
        try:
            for _ in range(64):  # 4 MiB of one chunk extension, far past what ringlb holds unparsed
                sock.sendall(b"a" * 65536)
        except OSError:
            pass  # refused and closed while sending: the answer is still to be read
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert requests.get(lb.url("/home"), timeout=5).status_code == 200


def test_an_http_1_0_client_gets_no_100_continue(start_balancer):
    lb = start_balancer()
    with socket.create_connection(("127.0.0.1", lb.port), timeout=10) as sock:
        sock.sendall(b"POST /home HTTP/1.0\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
        sock.settimeout(1)
        try:
            early = sock.recv(4096)
        except socket.timeout:
            early = b""
    assert b"100 Continue" not in early, early


def test_an_admin_payload_that_streams_is_read_whole(start_balancer):
    lb = start_balancer(replicas=1)

    def slow_payload():
        yield b'{"n": 1, '
        time.sleep(0.3)  # the rest comes after the head has been read
        yield b'"hostnames": ["late"]}'
    response = requests.post(lb.url("/add"), data=slow_payload(), timeout=30)
    assert response.status_code == 200, response.text
    assert "late" in response.json()["message"]["replicas"]
