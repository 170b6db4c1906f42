"""Answer bodies that ringlb moves through a pipe (splice) instead of its own memory: a long body
with a length, the client's copy checked byte by byte; the bodies that are not spliced; a replica
that closes before its length; and a ringlb with no descriptors to spare for pipes, which relays
the same body itself. Replicas: the aiohttp app of test_streaming.py."""

import requests

from ringlb_procs import Process, binary
from streams import MiB, PIECE, PatternChecker
from test_descriptors import low_limit
from test_stream_limits import metric
from test_streaming import HTTP_TIMEOUT, REPLICA, streaming_balancer


def download(lb, size, framing="length", extra=""):
    """Reads /download through ringlb, checking the pattern; returns the bytes that arrived."""
    checker = PatternChecker()
    with requests.get(lb.url(f"/download?bytes={size}&framing={framing}{extra}"), stream=True,
                      headers={"X-Request-Id": "spliced"}, timeout=HTTP_TIMEOUT) as response:
        assert response.status_code == 200, response.status_code
        for data in response.iter_content(PIECE):
            checker.feed(data)
    checker.verify(size)
    return size


def test_a_long_body_with_a_length_is_spliced_and_arrives_whole(start_balancer):
    lb = streaming_balancer(start_balancer)
    before = metric(lb, "ringlb_spliced_bytes_total")
    download(lb, 32 * MiB)
    spliced = metric(lb, "ringlb_spliced_bytes_total") - before
    # All but what came with the head (at most a read's worth) went through the pipe.
    assert 31 * MiB <= spliced <= 32 * MiB, spliced
    assert metric(lb, "ringlb_pipes") >= 1  # kept for the next body
    assert metric(lb, "ringlb_streams_cut_total") == 0


def test_chunked_bodies_are_not_spliced(start_balancer):
    lb = streaming_balancer(start_balancer)
    before = metric(lb, "ringlb_spliced_bytes_total")
    download(lb, 8 * MiB, framing="chunked")
    assert metric(lb, "ringlb_spliced_bytes_total") == before


def test_a_replica_that_closes_before_its_length_cuts_the_spliced_answer(start_balancer):
    lb = streaming_balancer(start_balancer)
    before = metric(lb, "ringlb_streams_cut_total")
    received = 0
    with requests.get(lb.url(f"/download?bytes={16 * MiB}&cut_after={2 * MiB}"), stream=True,
                      headers={"X-Request-Id": "cut"}, timeout=HTTP_TIMEOUT) as response:
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str(16 * MiB)
        try:
            for data in response.iter_content(PIECE):
                received += len(data)
        except requests.exceptions.ChunkedEncodingError:
            pass  # the connection ended short of the length: what a cut answer must look like
    assert 2 * MiB <= received < 16 * MiB, received
    assert metric(lb, "ringlb_streams_cut_total") == before + 1
    # The next body from the same replica is whole.
    download(lb, 4 * MiB)


def test_without_descriptors_to_spare_the_body_is_relayed_without_a_pipe():
    # Under 200 descriptors, 64 + 8 + 4 x 10 are reserved and 44 connections take the rest.
    lb = Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "1",
                  "--replicas", "3", "--max-replicas", "10", "--max-connections", "44",
                  "--replica-command", REPLICA, "--start-timeout", "20s"],
                 ready_timeout=60, preexec_fn=low_limit(200))
    try:
        download(lb, 16 * MiB)
        assert metric(lb, "ringlb_spliced_bytes_total") == 0
        assert metric(lb, "ringlb_pipes") == 0
        assert metric(lb, "ringlb_streamed_answers_total") >= 1
    finally:
        lb.stop()
