"""ringlb, the load balancer, driven over real sockets with the process driver (docs/contract.md)."""

import concurrent.futures
import os
import re
import signal
import socket
import threading
import time

import pytest
import requests

from ringlb_procs import Process, allocator_of, binary, pid_alive, wait_until

# Set when every replica is a command (integration.balancer_flask): a Flask replica takes a second
# or more to start where ringlb-server takes milliseconds, so waits on a new replica are longer.
REPLICA_COMMAND = os.environ.get("RINGLB_TEST_REPLICA_COMMAND")
from wire import read_answer

ECHO_REPLICA = os.path.join(os.path.dirname(__file__), "echo_replica.py")


def rep(lb):
    return requests.get(lb.url("/rep"), timeout=10).json()


def add(lb, payload):
    return requests.post(lb.url("/add"), json=payload, timeout=30)


def rm(lb, payload):
    return requests.delete(lb.url("/rm"), json=payload, timeout=30)


def served_by(response):
    return response.json()["message"].rsplit(" ", 1)[-1]


def metrics_text(lb):
    return requests.get(lb.url("/metrics"), timeout=10).text


def servers_of(lb, keys):
    """{X-Request-Id: the server ID that answered it} for one request per key."""
    with requests.Session() as session:
        return {key: served_by(session.get(lb.url("/home"), headers={"X-Request-Id": key}, timeout=10))
                for key in keys}


# ---- docs/contract.md examples, character for character ----------------------------------------------

def test_rep_starts_with_three_named_replicas(start_balancer):
    lb = start_balancer()
    response = requests.get(lb.url("/rep"), timeout=10)
    assert response.status_code == 200
    assert response.text == ('{"message": {"N": 3, "replicas": ["server-1", "server-2", "server-3"]}, '
                             '"status": "successful"}')


def test_add_example_then_too_many_hostnames(start_balancer):
    lb = start_balancer()
    response = add(lb, {"n": 4, "hostnames": ["S5", "S4", "S10", "S11"]})
    assert response.status_code == 200
    assert response.text == ('{"message": {"N": 7, "replicas": ["server-1", "server-2", "server-3", '
                             '"S5", "S4", "S10", "S11"]}, "status": "successful"}')
    response = add(lb, {"n": 2, "hostnames": ["S6", "S7", "S8"]})
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> Length of hostname list is more than newly added '
                             'instances", "status": "failure"}')


def test_rm_example_then_too_many_hostnames(start_balancer):
    lb = start_balancer()
    add(lb, {"n": 4, "hostnames": ["S5", "S4", "S10", "S11"]})
    response = rm(lb, {"n": 3, "hostnames": ["S5", "S4"]})
    assert response.status_code == 200
    message = response.json()["message"]
    assert message["N"] == 4
    assert "S5" not in message["replicas"] and "S4" not in message["replicas"]
    response = rm(lb, {"n": 1, "hostnames": ["S10", "S11"]})
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> Length of hostname list is more than removable '
                             'instances", "status": "failure"}')


def test_rm_also_accepts_post(start_balancer):
    lb = start_balancer()
    response = requests.post(lb.url("/rm"), json={"n": 1, "hostnames": ["server-2"]}, timeout=30)
    assert response.status_code == 200
    assert response.json()["message"]["replicas"] == ["server-1", "server-3"]


def test_add_without_hostnames_generates_names(start_balancer):
    lb = start_balancer()
    for payload in ({"n": 2}, {"n": 2, "hostnames": []}, {"n": 2, "hostnames": ["only-one"]}):
        before = rep(lb)["message"]["replicas"]
        response = add(lb, payload)
        assert response.status_code == 200, response.text
        after = response.json()["message"]["replicas"]
        assert after[:len(before)] == before
        new = after[len(before):]
        assert len(new) == 2 and len(set(after)) == len(after)
        if payload.get("hostnames"):
            assert new[0] == "only-one"


def test_add_then_rm_back_to_the_start(start_balancer):
    lb = start_balancer()
    start = rep(lb)
    add(lb, {"n": 2, "hostnames": ["a1", "a2"]})
    assert rm(lb, {"n": 2, "hostnames": ["a2", "a1"]}).status_code == 200
    assert rep(lb) == start


@pytest.mark.parametrize("path, method, payload, expected", [
    ("/add", "post", b"{not json", "<Error> malformed JSON payload"),
    ("/add", "post", b"[1, 2]", "<Error> the payload must be a JSON object"),
    ("/add", "post", b'{"hostnames": ["x"]}', "<Error> 'n' is missing"),
    ("/add", "post", b'{"n": "2"}', "<Error> 'n' must be a positive integer"),
    ("/add", "post", b'{"n": 1.5}', "<Error> 'n' must be a positive integer"),
    ("/add", "post", b'{"n": true}', "<Error> 'n' must be a positive integer"),
    ("/add", "post", b'{"n": 0}', "<Error> 'n' must be a positive integer"),
    ("/add", "post", b'{"n": -3}', "<Error> 'n' must be a positive integer"),
    ("/add", "post", b'{"n": 1, "hostnames": "S1"}', "<Error> 'hostnames' must be a list of strings"),
    ("/add", "post", b'{"n": 2, "hostnames": ["S1", 2]}', "<Error> 'hostnames' must be a list of strings"),
    ("/add", "post", b'{"n": 1, "hostnames": ["bad name"]}', "<Error> 'bad name' is not a valid hostname"),
    ("/add", "post", b'{"n": 1, "hostnames": ["-dash"]}', "<Error> '-dash' is not a valid hostname"),
    ("/add", "post", b'{"n": 1, "hostnames": ["' + b"a" * 64 + b'"]}', "is not a valid hostname"),
    ("/add", "post", b'{"n": 1, "hostnames": ["a"]}', "<Error> 'a' is not a valid hostname"),
    ("/add", "post", b'{"n": 2, "hostnames": ["S1", "S1"]}', "<Error> hostname 'S1' appears more than once"),
    ("/add", "post", b'{"n": 1, "hostnames": ["server-1"]}', "<Error> hostname 'server-1' is already in use"),
    ("/add", "post", b'{"n": 500}', "<Error> cannot add 500 replicas"),
    ("/rm", "delete", b'{"n": 1, "hostnames": ["nope"]}', "<Error> 'nope' is not a replica"),
    ("/rm", "delete", b'{"n": 4}', "<Error> cannot remove 4 replicas: only 3 exist"),
    ("/rm", "delete", b'{"n": 2, "hostnames": ["server-1", "server-1"]}', "appears more than once"),
])
def test_open_cases_are_clear_400s(start_balancer, path, method, payload, expected):
    lb = start_balancer()
    response = getattr(requests, method)(lb.url(path), data=payload, timeout=10)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "failure"
    assert body["message"].startswith("<Error> ")
    assert expected in body["message"]
    assert rep(lb)["message"]["N"] == 3


def test_wrong_methods_on_admin_paths_are_405(start_balancer):
    lb = start_balancer()
    assert requests.post(lb.url("/rep"), timeout=10).status_code == 405
    assert requests.get(lb.url("/add"), timeout=10).status_code == 405
    assert requests.get(lb.url("/rm"), timeout=10).status_code == 405


# ---- routing --------------------------------------------------------------------------------

def test_home_is_served_by_the_replicas(start_balancer):
    lb = start_balancer()
    seen = set()
    for _ in range(200):
        response = requests.get(lb.url("/home"), timeout=10)
        assert response.status_code == 200
        assert response.json()["status"] == "successful"
        seen.add(served_by(response))
    assert seen <= {"1", "2", "3"} and len(seen) >= 2


def test_same_key_reaches_the_same_replica(start_balancer):
    lb = start_balancer()
    with requests.Session() as session:
        for key in ("123456", "777777", "user-42"):
            servers = {served_by(session.get(lb.url("/home"), headers={"X-Request-Id": key}, timeout=10))
                       for _ in range(30)}
            assert len(servers) == 1, f"key {key} went to {servers}"


def test_classic_hash_routes_as_the_assignment_computes(start_balancer):
    lb = start_balancer("--hash", "classic")
    # H(12) = 185; with server IDs 1..3 the first virtual server at or after slot 185 belongs to
    # the replica the map names; the same request ID always lands there.
    first = served_by(requests.get(lb.url("/home"), headers={"X-Request-Id": "12"}, timeout=10))
    for _ in range(10):
        assert served_by(requests.get(lb.url("/home"), headers={"X-Request-Id": "12"}, timeout=10)) == first


def test_replica_404_becomes_spec_400(start_balancer):
    lb = start_balancer()
    response = requests.get(lb.url("/other?x=1"), timeout=10)
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> \'/other\' endpoint does not exist in server replicas", '
                             '"status": "failure"}')


def test_no_replicas_is_503(start_balancer):
    lb = start_balancer(replicas=0)
    response = requests.get(lb.url("/home"), timeout=10)
    assert response.status_code == 503
    assert response.text == '{"message": "<Error> no replicas available", "status": "failure"}'
    assert rep(lb) == {"message": {"N": 0, "replicas": []}, "status": "successful"}


def test_request_is_forwarded_intact(start_balancer):
    lb = start_balancer("--replica-binary", ECHO_REPLICA)
    body = "name=ringlb&" + "x" * 100_000
    response = requests.post(lb.url("/echo/path?q=1&r=2"), data=body,
                             headers={"X-Custom": "kept", "Content-Type": "text/plain", "X-Forwarded-For": "10.0.0.1"},
                             timeout=10)
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/echo/path?q=1&r=2"
    assert echo["body"] == body
    assert echo["headers"]["X-Custom"] == "kept"
    assert echo["headers"]["Content-Type"] == "text/plain"
    assert echo["headers"]["X-Forwarded-For"] == "10.0.0.1, 127.0.0.1"
    assert "Connection" not in echo["headers"] or echo["headers"]["Connection"].lower() != "close"
    chunked = requests.put(lb.url("/echo/chunked"), data=iter([b"abc", b"def"]), timeout=10).json()
    assert chunked["method"] == "PUT" and chunked["body"] == "abcdef"


def test_upstream_404_from_any_replica_becomes_400(start_balancer):
    lb = start_balancer("--replica-binary", ECHO_REPLICA)
    response = requests.get(lb.url("/missing/thing"), timeout=10)
    assert response.status_code == 400
    assert "'/missing/thing' endpoint does not exist in server replicas" in response.text


# ---- failures -------------------------------------------------------------------------------

class Traffic:
    """GET /home in a loop from a few threads until stopped; counts answers by status."""

    def __init__(self, lb, threads=4, seconds_limit=30):
        self.lb, self.stop_at = lb, time.monotonic() + seconds_limit
        self.codes, self.errors, self.lock = {}, [], threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.loop) for _ in range(threads)]
        for t in self.threads:
            t.start()

    def loop(self):
        with requests.Session() as session:
            while self.running and time.monotonic() < self.stop_at:
                try:
                    code = session.get(self.lb.url("/home"), timeout=10).status_code
                except requests.RequestException as e:  # counted, never hidden
                    with self.lock:
                        self.errors.append(repr(e))
                    continue
                with self.lock:
                    self.codes[code] = self.codes.get(code, 0) + 1

    def answered(self):
        with self.lock:
            return sum(self.codes.values()) + len(self.errors)

    def finish(self):
        self.running = False
        for t in self.threads:
            t.join()
        return self.codes, self.errors


def test_killed_replica_is_replaced_and_no_request_fails(start_balancer):
    lb = start_balancer()
    keys = [str(100000 + i) for i in range(60)]
    before = servers_of(lb, keys)
    keys_of_2 = [key for key in keys if before[key] == "2"]
    assert keys_of_2, before
    victim_pid = lb.replica_pids()["server-2"]
    traffic = Traffic(lb)
    wait_until(lambda: traffic.answered() >= 20, 10, what="traffic before the kill")
    killed_at = time.monotonic()
    os.kill(victim_pid, signal.SIGKILL)
    new_name = wait_until(lambda: (lambda names: names[1] if names[1] != "server-2" else None)(
        rep(lb)["message"]["replicas"]), 2 if REPLICA_COMMAND is None else 10,
        what="server-2's replacement in /rep")
    took = time.monotonic() - killed_at
    # The replacement has server-2's ID, and once it is up its keys come back to it.
    assert new_name.startswith("replica-")
    wait_until(lambda: f'ringlb_replica_up{{replica="{new_name}",id="2"}} 1' in metrics_text(lb), 5,
               what=f"{new_name} up with server ID 2")
    assert wait_until(lambda: servers_of(lb, keys) == before, 2, what="the same routes as before the kill")
    answered = traffic.answered()
    wait_until(lambda: traffic.answered() >= answered + 20, 10, what="traffic after the replacement")
    codes, errors = traffic.finish()
    assert rep(lb)["message"]["N"] == 3
    assert not pid_alive(victim_pid)
    assert errors == [] and set(codes) == {200}, (codes, errors)
    assert sum(codes.values()) > 50
    print(f"replaced in {took * 1000:.0f} ms, {sum(codes.values())} requests, none failed")


def retry_delays_ms(log):
    """The `retry_in` of every replica_start_failed line of a ringlb log, in milliseconds."""
    delays = []
    for value, unit in re.findall(r"event=replica_start_failed .*retry_in=(\d+)(ms|s)\b", log):
        delays.append(int(value) * (1000 if unit == "s" else 1))
    return delays


def test_hung_start_failure_is_retried_not_fatal(start_balancer):
    lb = start_balancer("--replica-binary", "/bin/false", "--start-timeout", "1s", replicas=1)
    # /bin/false exits at once: the slot keeps being retried with growing back-off; ringlb stays up.
    delays = wait_until(lambda: (lambda d: d if len(d) >= 2 else None)(retry_delays_ms(lb.stderr())), 10,
                        what="two retries of the failed start")
    assert all(later > earlier for earlier, later in zip(delays, delays[1:])), delays
    assert lb.proc.poll() is None
    assert requests.get(lb.url("/home"), timeout=10).status_code == 503


def test_removed_replicas_stay_gone(start_balancer):
    lb = start_balancer()
    add(lb, {"n": 2, "hostnames": ["x1", "x2"]})
    pids = lb.replica_pids()
    assert rm(lb, {"n": 2, "hostnames": ["x1", "x2"]}).status_code == 200
    wait_until(lambda: not pid_alive(pids["x1"]) and not pid_alive(pids["x2"]), 5, what="x1 and x2 to exit")
    time.sleep(1.5)  # the point: nothing restarts them in the time a replacement would take
    assert rep(lb)["message"]["replicas"] == ["server-1", "server-2", "server-3"]
    assert "replica_replaced" not in lb.stderr()


def test_concurrent_admin_calls_with_traffic_stay_consistent(start_balancer):
    # 16 calls at a time, half of them /rm: with 3 replicas a run of removals could leave none
    # (or only ones not yet up), and the traffic would rightly get 503s. With 8 it cannot.
    lb = start_balancer(replicas=8)
    traffic = Traffic(lb, threads=2)

    def call(i):
        if i % 2 == 0:
            return "add", add(lb, {"n": 1}).status_code
        return "rm", rm(lb, {"n": 1}).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(call, range(50)))
    codes, errors = traffic.finish()
    added = sum(1 for kind, code in results if kind == "add" and code == 200)
    removed = sum(1 for kind, code in results if kind == "rm" and code == 200)
    assert all(code in (200, 400) for _, code in results), results
    final = rep(lb)["message"]
    assert final["N"] == 8 + added - removed == len(final["replicas"])
    assert len(set(final["replicas"])) == final["N"]
    metrics = requests.get(lb.url("/metrics"), timeout=10).text
    assert f"ringlb_replicas {final['N']}\n" in metrics
    wait_until(lambda: len([p for p in lb.replica_pids().values() if pid_alive(p)]) == final["N"], 10,
               what=f"{final['N']} live replica processes")
    assert errors == [] and set(codes) <= {200}, (codes, errors)


def test_sigterm_stops_everything(start_balancer):
    lb = start_balancer()
    add(lb, {"n": 1})
    pids = list(lb.replica_pids().values())
    assert len(pids) == 4 and all(pid_alive(p) for p in pids)
    lb.signal(signal.SIGTERM)
    assert lb.wait(timeout=15) == 0
    wait_until(lambda: not any(pid_alive(p) for p in pids), 5, what="every replica to exit")


def test_second_sigterm_cuts_requests_in_flight_and_exits_cleanly(start_balancer):
    # The first signal drains: the request in flight may take up to --drain-timeout. The second
    # cuts it at once; ringlb still stops its replicas and exits 0 (under the sanitizers, without
    # a report: no coroutine outlives the state it points at).
    lb = start_balancer("--replica-binary", ECHO_REPLICA, "--drain-timeout", "20s", "--response-timeout", "30s")
    pids = list(lb.replica_pids().values())
    with socket.create_connection(("127.0.0.1", lb.port), timeout=10) as sock:
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)  # no event shows the request reaching the replica; it is there well before
        lb.signal(signal.SIGTERM)
        wait_until(lambda: "event=draining" in lb.stderr(), 5, what="the first signal's drain")
        assert lb.proc.poll() is None, "the first signal waits for the request in flight"
        lb.signal(signal.SIGTERM)
        assert lb.wait(timeout=5) == 0
    assert "stopping_now" in lb.stderr()
    wait_until(lambda: not any(pid_alive(p) for p in pids), 5, what="every replica to exit")


def test_sigkill_of_the_balancer_takes_its_replicas_along(start_balancer):
    lb = start_balancer()
    pids = list(lb.replica_pids().values())
    lb.signal(signal.SIGKILL)
    lb.wait(timeout=10)
    wait_until(lambda: not any(pid_alive(p) for p in pids), 5, what="every replica to exit")


def test_metrics_count_requests(start_balancer):
    lb = start_balancer()
    for _ in range(30):
        requests.get(lb.url("/home"), timeout=10)
    metrics = requests.get(lb.url("/metrics"), timeout=10).text
    total = sum(int(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                if line.startswith("ringlb_requests_total{"))
    assert total == 30
    assert 'ringlb_replica_up{replica="server-1",id="1"} 1' in metrics
    assert "ringlb_request_duration_seconds_bucket" in metrics


def test_help_and_bad_flags():
    import subprocess
    help_text = subprocess.run([binary("ringlb"), "--help"], capture_output=True, text=True, timeout=10).stdout
    for flag in ("--replicas", "--driver", "--hash", "--hash-key", "--heartbeat-interval", "--connect-timeout",
                 "--failover-attempts", "--upstream-batch", "--replica-binary", "RINGLB_PORT"):
        assert flag in help_text
    for args, text in ((["--hash", "nope"], "nope"), (["--hash-key", "bogus"], "bogus"),
                       (["--heartbeat-interval", "5"], "duration"), (["--maglev-size", "100", "--hash", "maglev"], "prime"),
                       (["--upstream-batch", "0"], "--upstream-batch")):
        result = subprocess.run([binary("ringlb"), "--port", "0", *args], capture_output=True, text=True, timeout=10)
        assert result.returncode != 0
        assert text in result.stderr, result.stderr


def test_hung_replica_is_detected_and_replaced(start_balancer):
    lb = start_balancer("--heartbeat-interval", "200ms", "--heartbeat-timeout", "300ms")
    victim = lb.replica_pids()["server-3"]
    os.kill(victim, signal.SIGSTOP)  # accepts connections (the kernel does), never answers
    try:
        stopped_at = time.monotonic()
        wait_until(lambda: "server-3" not in rep(lb)["message"]["replicas"], 5, what="server-3's replacement")
        took = time.monotonic() - stopped_at
        assert rep(lb)["message"]["N"] == 3
        codes = {requests.get(lb.url("/home"), timeout=10).status_code for _ in range(50)}
        assert codes == {200}
        wait_until(lambda: not pid_alive(victim), 10, what="the hung replica to be killed")
        print(f"hung replica replaced in {took * 1000:.0f} ms")
    finally:
        if pid_alive(victim):
            os.kill(victim, signal.SIGKILL)


def test_concurrent_requests_on_one_worker_keep_their_own_bodies(start_balancer):
    lb = start_balancer("--replica-binary", ECHO_REPLICA, threads=1)

    def post(i):
        body = f"request-{i}-" + "x" * (i * 97 % 5000)
        with requests.Session() as session:
            for _ in range(5):
                echo = session.post(lb.url(f"/echo/{i}"), data=body, timeout=10).json()
                assert (echo["path"], echo["body"]) == (f"/echo/{i}", body)
        return True

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        assert all(pool.map(post, range(64)))


@pytest.mark.parametrize("batch", ["16", "1"])
def test_concurrent_gets_sent_together_each_get_their_own_answer(start_balancer, batch):
    # One worker forwards the GETs that arrive together to a replica together (pipelined on one
    # connection, balancer/upstream_batcher.hpp); every client must still get its own answer.
    lb = start_balancer("--replica-binary", ECHO_REPLICA, "--upstream-batch", batch, threads=1)

    def get(i):
        with requests.Session() as session:
            for j in range(10):
                path = f"/echo/{i}/{j}"
                response = session.get(lb.url(path), headers={"X-Request-Id": f"{i}-{j}"}, timeout=10)
                echo = response.json()
                assert (echo["method"], echo["path"], echo["headers"]["X-Request-Id"]) == ("GET", path, f"{i}-{j}")
                head = session.head(lb.url(path), timeout=10)
                assert head.status_code == 200 and head.content == b""
        return True

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        assert all(pool.map(get, range(64)))


def test_ctrl_c_in_a_terminal_stops_replicas_in_order():
    """Ctrl-C signals a terminal's whole foreground process group; the replicas have a group of
    their own, so only ringlb gets it, and it stops them without replacing any."""
    lb = Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "1"], new_session=True)
    try:
        pids = list(lb.replica_pids().values())
        os.killpg(lb.pid, signal.SIGINT)
        assert lb.wait(timeout=15) == 0
        log = lb.stderr()
        assert "replica_replaced" not in log and "replica_down" not in log, log
        wait_until(lambda: not any(pid_alive(p) for p in pids), 5, what="every replica to exit")
    finally:
        lb.stop()


def test_allocates_with_jemalloc_returning_freed_pages(start_balancer):
    # src/allocator: jemalloc, with a background thread that gives freed pages back.
    lb = start_balancer()
    assert allocator_of(lb.pid) in ("jemalloc", "sanitizer")


def test_quiet_client_connection_is_held_and_served_again(start_balancer):
    # Parked after 200 ms without a request (net/server.hpp); the client's next requests on the
    # same connection are proxied as before.
    lb = start_balancer()
    with socket.create_connection(("127.0.0.1", lb.port), timeout=5) as sock:
        for i in range(3):
            sock.sendall(b"GET /home HTTP/1.1\r\nHost: x\r\nX-Request-Id: %d\r\n\r\n" % i)
            answer = read_answer(sock)
            assert answer.startswith(b"HTTP/1.1 200 OK") and b"Hello from Server" in answer
            time.sleep(0.5)  # the point: quiet long enough to be parked
