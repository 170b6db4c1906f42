"""Request framing as RFC 9112 requires, at ringlb's port and at a replica's (both read requests
with the same parser): a Transfer-Encoding other than chunked alone, an HTTP/1.1 request without
Host, or more than one Host is refused and the connection closed; an absolute-form target is
served as its origin form."""

import json
import os
import re
import socket

import pytest

ECHO = os.path.join(os.path.dirname(__file__), "echo_replica.py")

# A request pipelined behind a refused one: it must never be answered, since after a refusal
# nothing says where it starts.
BEHIND = b"GET /home HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(params=["ringlb", "ringlb-server"])
def port(request, start_balancer, start_replica):
    """The port of a ringlb with ringlb-server replicas, or of one ringlb-server."""
    if request.param == "ringlb":
        return start_balancer(replicas=1).port
    return start_replica(1).port


def exchange(port, data):
    """Sends `data` and reads until the server closes; fails when it leaves the connection open."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except socket.timeout:
            pytest.fail(f"the connection was left open after {received[:200]!r}")
        return received


def assert_refused(answer, status, reason):
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status), answer[:300]
    assert b"\r\nConnection: close" in head, head
    # One status line: the request pipelined behind was not served.
    assert len(re.findall(rb"(?:^|\n)HTTP/1\.1 \d{3} ", answer)) == 1, answer
    assert json.loads(body) == {"message": reason, "status": "failure"}


def split_answer(answer):
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], json.loads(body)


def test_transfer_encoding_not_chunked_alone_is_refused(port):
    not_chunked = "<Error> malformed request: Transfer-Encoding does not end in chunked"
    cases = [
        (b"Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello", not_chunked),
        (b"Transfer-Encoding: gzip\r\n\r\n", not_chunked),
        (b"Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", not_chunked),
        (b"Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello", not_chunked),
        (b"Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
         "<Error> malformed request: Transfer-Encoding names chunked more than once"),
        # Beast's own refusal: a Transfer-Encoding after a Content-Length.
        (b"Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\nhello",
         "<Error> malformed request: bad Transfer-Encoding"),
    ]
    for framing, reason in cases:
        answer = exchange(port, b"POST /home HTTP/1.1\r\nHost: x\r\n" + framing + BEHIND)
        assert_refused(answer, 400, reason)
    http10 = exchange(port, b"POST /home HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + BEHIND)
    assert_refused(http10, 400, "<Error> malformed request: Transfer-Encoding in an HTTP/1.0 request")


def test_other_transfer_codings_are_not_implemented(port):
    answer = exchange(port, b"POST /home HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                            b"0\r\n\r\n" + BEHIND)
    assert_refused(answer, 501, "<Error> transfer codings other than chunked are not supported")


def test_host_is_required_once_in_http11(port):
    cases = [
        (b"GET /home HTTP/1.1\r\n\r\n", "HTTP/1.1 request without a Host header"),
        (b"GET http://x/home HTTP/1.1\r\n\r\n", "HTTP/1.1 request without a Host header"),
        (b"GET /home HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", "more than one Host header"),
        (b"GET /home HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n", "more than one Host header"),
        (b"GET /home HTTP/1.1\r\nHost: x/y\r\n\r\n", "invalid Host header"),
    ]
    for request, reason in cases:
        assert_refused(exchange(port, request + BEHIND), 400, "<Error> malformed request: " + reason)


def test_http10_without_host_is_served(port):
    status, body = split_answer(exchange(port, b"GET /home HTTP/1.0\r\n\r\n"))
    assert status == b"HTTP/1.1 200 OK"
    assert body["message"] == "Hello from Server: 1"


def test_chunked_body_is_still_read(port):
    # ringlb-server has no POST endpoint: a 405 says the body was read to its end and the
    # request answered, where a framing refusal would be a 400.
    answer = exchange(port, b"POST /home HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n"
                            b"Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 405 "), answer[:300]


def test_absolute_form_is_served_as_its_path(port):
    for target in (b"http://x/home", b"HTTP://x:8080/home?q=1", b"https://[::1]/home"):
        status, body = split_answer(exchange(port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n"
                                                  b"Connection: close\r\n\r\n"))
        assert status == b"HTTP/1.1 200 OK", target
        assert body["message"] == "Hello from Server: 1"
    refused = exchange(port, b"GET http:///home HTTP/1.1\r\nHost: x\r\n\r\n" + BEHIND)
    assert_refused(refused, 400, "<Error> malformed request: invalid authority in an absolute-form target")


def test_absolute_form_unknown_path_names_the_origin_form(start_balancer):
    lb = start_balancer(replicas=1)
    status, body = split_answer(exchange(lb.port, b"GET http://x/nonexistent?a=1 HTTP/1.1\r\nHost: x\r\n"
                                                  b"Connection: close\r\n\r\n"))
    assert status.startswith(b"HTTP/1.1 400 ")
    assert body == {"message": "<Error> '/nonexistent' endpoint does not exist in server replicas",
                    "status": "failure"}


def test_replica_gets_origin_form_and_one_host(start_balancer):
    lb = start_balancer("--replica-binary", ECHO, replicas=1)
    cases = [
        (b"GET http://front:8080/echo/a?q=1 HTTP/1.1\r\nHost: other\r\n", "/echo/a?q=1", "front:8080"),
        (b"GET https://front HTTP/1.1\r\nHost: other\r\n", "/", "front"),
        (b"GET /echo/b HTTP/1.1\r\nHost: other\r\n", "/echo/b", "other"),
        (b"GET /echo/c HTTP/1.0\r\n", "/echo/c", ""),
        (b"GET http://front/echo/d HTTP/1.0\r\n", "/echo/d", "front"),
    ]
    for request, path, host in cases:
        status, echo = split_answer(exchange(lb.port, request + b"Connection: close\r\n\r\n"))
        assert status == b"HTTP/1.1 200 OK", request
        assert echo["path"] == path, request
        hosts = [v for k, v in echo["header_lines"] if k.lower() == "host"]
        assert hosts == [host], (request, echo["header_lines"])


def test_chunked_body_reaches_the_replica_whole(start_balancer):
    lb = start_balancer("--replica-binary", ECHO, replicas=1)
    status, echo = split_answer(exchange(lb.port, b"POST /echo/body HTTP/1.1\r\nHost: x\r\n"
                                                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                                  b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
    assert status == b"HTTP/1.1 200 OK"
    assert echo["body"] == "abcde"
    assert "Transfer-Encoding" not in echo["headers"] and echo["headers"]["Content-Length"] == "5"
