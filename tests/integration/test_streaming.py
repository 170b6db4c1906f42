"""Bodies and connections that stream through ringlb: large downloads and uploads in bounded memory,
many transfers beside a slow reader, an event stream, curl's Expect: 100-continue, WebSockets, and
an answer ended by the close. The replicas are aiohttp servers (replicas/stream_aiohttp.py) that
ringlb starts itself; bodies follow the pattern of streams.py, checked as they arrive."""

import asyncio
import json
import os
import resource
import signal
import subprocess

import aiohttp
import pytest
import requests

from ringlb_procs import free_port, wait_for_port
from streams import (MiB, PIECE, HashingPieces, MemorySampler, PatternChecker, PatternFile, pattern, pattern_sha256,
                     wait_quiet)
from wire import raw_exchange

HERE = os.path.dirname(os.path.abspath(__file__))
REPLICA = f"/usr/bin/python3 {HERE}/replicas/stream_aiohttp.py"
# --max-body-bytes is off by default; a limit the uploads stay under must change nothing.
BODY_LIMIT = ["--max-body-bytes", str(1024 * MiB)]
# What a single transfer may add to ringlb's resident memory: room for its buffers, the
# allocator's arenas and caches, and the pages a first large transfer touches, but far below the
# transfer itself (256 MiB), so a body held whole cannot pass.
ONE_TRANSFER_SLACK = 16 * MiB
# Each concurrent transfer may hold at most a fixed buffer per direction; 512 KiB per exchange is
# several times what a streaming relay needs, and still 128 times less than one 64 MiB body.
PER_EXCHANGE = 512 * 1024
HTTP_TIMEOUT = (5, 30)  # connect, and each read: a stalled transfer fails instead of hanging


def streaming_balancer(start_balancer, *args):
    lb = start_balancer("--replica-command", REPLICA, "--start-timeout", "20s", *args)
    # One small answer from each replica: pools, buffers and the allocator's first arenas exist
    # before memory is measured.
    for key in range(12):
        response = requests.get(lb.url("/download?bytes=100000"), headers={"X-Request-Id": str(key)},
                                timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, response.text
    return lb


def quiet_sampler(lb):
    wait_quiet(lb.pid)
    return MemorySampler(lb.pid)


def check_ok(response):
    """Asserts a 200; otherwise shows the (small) answer ringlb gave instead."""
    if response.status_code != 200:
        raise AssertionError(f"{response.status_code} {response.reason}: {response.content[:300]!r}")


# ---- large bodies, one at a time ----------------------------------------------------------------

@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_a_256_mib_download_arrives_whole_in_bounded_memory(start_balancer, framing):
    lb = streaming_balancer(start_balancer)
    total = 256 * MiB
    checker = PatternChecker()
    with quiet_sampler(lb) as memory:
        with requests.get(lb.url(f"/download?bytes={total}&framing={framing}"), stream=True,
                          timeout=HTTP_TIMEOUT) as response:
            check_ok(response)
            if framing == "length":
                assert response.headers.get("Content-Length") == str(total)
            for data in response.iter_content(PIECE):
                checker.feed(data)
    checker.verify(total)
    memory.check(ONE_TRANSFER_SLACK)


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_a_256_mib_upload_reaches_the_replica_whole_in_bounded_memory(start_balancer, framing):
    lb = streaming_balancer(start_balancer, *BODY_LIMIT)
    total = 256 * MiB
    # requests sends an iterable with chunked encoding, a file with a length with Content-Length.
    body = HashingPieces(total) if framing == "chunked" else PatternFile(total)
    with quiet_sampler(lb) as memory:
        response = requests.post(lb.url("/upload"), data=body, timeout=HTTP_TIMEOUT,
                                 headers={"Content-Type": "application/octet-stream"})
    check_ok(response)
    assert response.json() == {"bytes": total, "sha256": body.sha256}
    memory.check(ONE_TRANSFER_SLACK)


# ---- many at once, and a slow reader ------------------------------------------------------------

def client_session():
    # No connection cap (aiohttp's default is 100) and no total time limit: each read and connect
    # has its own, and every test bounds its whole run with asyncio.wait_for.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                 timeout=aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=30))


async def fast_download(session, url, key, total):
    async with session.get(url, headers={"X-Request-Id": str(key)}) as response:
        assert response.status == 200, f"{response.status}: {(await response.read())[:300]!r}"
        checker = PatternChecker()
        async for data in response.content.iter_chunked(PIECE):
            checker.feed(data)
    checker.verify(total)


async def slow_download(session, url, total, others_done, seen_when_done):
    """Reads one piece at a time with a pause after each until `others_done` is set, notes how
    much it had read then in `seen_when_done`, and reads the rest at full speed."""
    async with session.get(url, headers={"X-Request-Id": "slow"}) as response:
        assert response.status == 200, f"{response.status}: {(await response.read())[:300]!r}"
        checker = PatternChecker()
        while not others_done.is_set():
            data = await response.content.read(PIECE)
            if not data:
                break
            checker.feed(data)
            await asyncio.sleep(0.05)
        seen_when_done.append(checker.count)
        async for data in response.content.iter_chunked(PIECE):
            checker.feed(data)
    checker.verify(total)


async def downloads_beside_a_slow_reader(base, count, total):
    """`count` downloads at full speed (alternating framings) while one more is read slowly;
    returns how much the slow one had read when the others had all finished."""
    others_done, seen_when_done = asyncio.Event(), []
    async with client_session() as session:
        slow = asyncio.create_task(slow_download(session, f"{base}/download?bytes={total}&framing=chunked",
                                                 total, others_done, seen_when_done))
        try:
            await asyncio.gather(*(fast_download(session, f"{base}/download?bytes={total}&framing="
                                                 f"{'length' if key % 2 else 'chunked'}", key, total)
                                   for key in range(count)))
        finally:
            others_done.set()
        await slow
    return seen_when_done[0]


def test_32_downloads_beside_a_slow_reader_all_arrive_in_bounded_memory(start_balancer):
    lb = streaming_balancer(start_balancer)
    count, total = 32, 64 * MiB
    with quiet_sampler(lb) as memory:
        slow_read = asyncio.run(asyncio.wait_for(
            downloads_beside_a_slow_reader(lb.url("").rstrip("/"), count, total), timeout=150))
    # The slow reader was still reading while the others ran: it was there to be starved or buffered.
    assert slow_read < total
    # Bodies held whole would take 33 x 64 MiB; a fixed buffer per exchange stays near 17 MiB.
    memory.check(ONE_TRANSFER_SLACK + (count + 1) * PER_EXCHANGE)


# ---- an event stream, and curl's Expect: 100-continue -------------------------------------------

async def read_events(url):
    """[(seconds since the request, event data)] of a text/event-stream answer, as lines arrive."""
    loop = asyncio.get_running_loop()
    start, seen = loop.time(), []
    async with client_session() as session, session.get(url) as response:
        assert response.status == 200, f"{response.status}: {(await response.read())[:300]!r}"
        assert response.headers.get("Content-Type", "").startswith("text/event-stream")
        async for line in response.content:
            if line.startswith(b"data: "):
                seen.append((loop.time() - start, line[len(b"data: "):].strip().decode()))
    return seen


def test_events_reach_the_client_as_the_replica_sends_them(start_balancer):
    lb = streaming_balancer(start_balancer)
    seen = asyncio.run(asyncio.wait_for(read_events(lb.url("/events?count=4&interval=0.5")), timeout=30))
    assert [data for _, data in seen] == ["0", "1", "2", "3"]
    # The replica sends them 0.5 s apart: 1.5 s from the first to the last. All at once means
    # ringlb held the stream until it ended.
    arrivals = [at for at, _ in seen]
    assert arrivals[-1] - arrivals[0] > 1.0, f"events arrived at {arrivals} s"


def test_curl_upload_with_expect_100_continue_does_not_wait_it_out(start_balancer, tmp_path):
    lb = streaming_balancer(start_balancer, *BODY_LIMIT)
    total = 5_000_000
    upload, answer = tmp_path / "upload.bin", tmp_path / "answer.json"
    upload.write_bytes(pattern(0, total))
    done = subprocess.run(["curl", "-v", "-sS", "--max-time", "30", "-o", str(answer), "-w", "%{http_code}",
                           "-H", "Content-Type: application/octet-stream", "--data-binary", f"@{upload}",
                           lb.url("/upload")], capture_output=True, text=True, timeout=60)
    trace = done.stderr
    # curl asks for a 100 Continue before a body over 1 MiB: the test is about what happens next.
    assert "> Expect: 100-continue" in trace, trace
    assert "Done waiting for 100-continue" not in trace, "curl gave up waiting for 100 Continue:\n" + trace
    assert "< HTTP/1.1 100 Continue" in trace, trace
    assert done.returncode == 0 and done.stdout == "200", f"curl exit {done.returncode}, status {done.stdout}"
    assert json.loads(answer.read_text()) == {"bytes": total, "sha256": pattern_sha256(total)}


# ---- WebSockets ---------------------------------------------------------------------------------

async def connect_ws(session, url, key):
    try:
        return await session.ws_connect(url, headers={"X-Request-Id": str(key)}, heartbeat=None, autoping=True)
    except aiohttp.WSServerHandshakeError as error:
        raise AssertionError(f"the WebSocket upgrade got {error.status} {error.message}") from None


async def echo_once(ws, message, timeout=10):
    if isinstance(message, bytes):
        await ws.send_bytes(message)
    else:
        await ws.send_str(message)
    answer = await asyncio.wait_for(ws.receive(), timeout)
    assert answer.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY), answer
    assert answer.data == message, f"echo of {len(message)} bytes came back as {len(answer.data)}"


async def one_echo(url):
    async with client_session() as session:
        ws = await connect_ws(session, url, "one")
        try:
            await echo_once(ws, "hello through ringlb")
            await echo_once(ws, bytes(range(256)) * 4)
            await echo_once(ws, pattern(0, 1 * MiB))  # many TCP segments, one message
        finally:
            await ws.close()


def test_a_websocket_echoes_text_and_binary_through_ringlb(start_balancer):
    lb = streaming_balancer(start_balancer)
    asyncio.run(asyncio.wait_for(one_echo(lb.url("/ws")), timeout=30))


def ensure_open_files(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        assert hard == resource.RLIM_INFINITY or hard >= needed, f"open files limit {hard} < {needed}"
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def servers_of(session, base, keys):
    """{key: server ID} from /home for each key: the replica a request with that key goes to."""
    async def one(key):
        async with session.get(f"{base}/home", headers={"X-Request-Id": str(key)}) as response:
            return key, (await response.json())["message"].rsplit(" ", 1)[1]
    return dict(await asyncio.gather(*(one(key) for key in keys)))


async def open_all(session, url, keys, at_once=100):
    gate = asyncio.Semaphore(at_once)

    async def one(key):
        async with gate:
            ws = await connect_ws(session, url, key)
            await echo_once(ws, f"first {key}")
            return key, ws
    return dict(await asyncio.gather(*(one(key) for key in keys)))


async def sees_close(ws, timeout=10):
    message = await asyncio.wait_for(ws.receive(), timeout)
    return message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)


async def many_websockets_and_a_kill(lb, count, victim):
    base = lb.url("").rstrip("/")
    async with client_session() as session:
        server_of = await servers_of(session, base, range(count))
        sockets = {}
        try:
            sockets = await open_all(session, f"{base}/ws", range(count))
            hit = [key for key in sockets if server_of[key] == victim]
            spared = [key for key in sockets if server_of[key] != victim]
            assert hit and spared, f"keys per server: {server_of}"
            os.kill(lb.replica_pids()[f"server-{victim}"], signal.SIGKILL)
            closed = await asyncio.gather(*(sees_close(sockets[key]) for key in hit))
            assert all(closed), f"{closed.count(False)} of {len(hit)} sockets on the killed replica got a message"
            await asyncio.gather(*(echo_once(sockets[key], f"after {key}") for key in spared))
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets.values()), return_exceptions=True)


def test_1000_websockets_and_a_killed_replica_close_only_its_own(start_balancer):
    count = 1000
    ensure_open_files(count * 2 + 256)
    lb = streaming_balancer(start_balancer, "--max-connections", "4000")
    asyncio.run(asyncio.wait_for(many_websockets_and_a_kill(lb, count, victim="2"), timeout=120))


# ---- an answer ended by closing the connection --------------------------------------------------

@pytest.mark.parametrize("size", [1000, 4 * MiB])
def test_a_close_delimited_answer_arrives_whole(start_balancer, size):
    # ringlb could wait up to its --response-timeout for an end it does not see: the client gives up
    # well before that, so such a wait fails here as a read timeout instead of a late 504.
    lb = streaming_balancer(start_balancer, "--response-timeout", "30s")
    checker = PatternChecker()
    with requests.get(lb.url(f"/close-delimited?bytes={size}"), stream=True, timeout=(5, 8)) as response:
        check_ok(response)
        for data in response.iter_content(PIECE):
            checker.feed(data)
    checker.verify(size)


def test_the_replica_ends_its_close_delimited_answer_by_the_close():
    """The premise of the test above, checked on the replica alone: no Content-Length, no chunked
    encoding, and the body is all that comes before the close."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "SERVER_ID": "9"}
    replica = subprocess.Popen(REPLICA.split(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        answer = raw_exchange(port, b"GET /close-delimited?bytes=300000 HTTP/1.1\r\nHost: x\r\n\r\n", timeout=10)
    finally:
        replica.kill()
        replica.wait()
    head, _, body = answer.partition(b"\r\n\r\n")
    fields = [line.split(b":", 1)[0].strip().lower() for line in head.split(b"\r\n")[1:]]
    assert head.startswith(b"HTTP/1.1 200"), head
    assert b"content-length" not in fields and b"transfer-encoding" not in fields, head
    assert body == pattern(0, 300000)


# ---- the pattern checker itself -----------------------------------------------------------------

def pieces_of(data, size=PIECE):
    return [data[i:i + size] for i in range(0, len(data), size)]


STREAM = pattern(0, 5 * PIECE + 123)


@pytest.mark.parametrize("name, pieces", [
    ("a flipped byte", pieces_of(STREAM[:70000] + bytes([STREAM[70000] ^ 1]) + STREAM[70001:])),
    ("a piece lost", pieces_of(STREAM)[:2] + pieces_of(STREAM)[3:]),
    ("a piece sent twice", pieces_of(STREAM)[:3] + pieces_of(STREAM)[2:]),
    ("a byte lost", pieces_of(STREAM[:1000] + STREAM[1001:])),
    ("the end cut", pieces_of(STREAM)[:-1]),
    ("a byte too many", pieces_of(STREAM + pattern(len(STREAM), 1))),
])
def test_the_pattern_checker_catches(name, pieces):
    checker = PatternChecker()
    for data in pieces:
        checker.feed(data)
    with pytest.raises(AssertionError):
        checker.verify(len(STREAM))


def test_the_pattern_checker_takes_the_pattern_in_any_pieces():
    for size in (1, 4096, PIECE, 65537, 200000):
        checker = PatternChecker()
        for data in pieces_of(STREAM, size):
            checker.feed(data)
        checker.verify(len(STREAM))
