"""Any application as a replica (--replica-command): real Flask, gunicorn, aiohttp and nginx servers
started, watched, stopped and replaced by ringlb's process driver (docs/replicas.md)."""

import concurrent.futures
import os
import re
import signal
import subprocess
import time

import pytest
import requests

from ringlb_procs import ROOT, binary, descendants, pid_alive, replica_pids, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
REPLICAS = os.path.join(HERE, "replicas")
PY = "/usr/bin/python3"
FLASK = f"{PY} {REPLICAS}/echo_flask.py"
GUNICORN = f"gunicorn --workers 2 --bind {{host}}:{{port}} --chdir {REPLICAS} echo_flask:app"
AIOHTTP = f"{PY} {REPLICAS}/echo_aiohttp.py"
NGINX = os.path.join(ROOT, "examples", "nginx", "replica.sh")


def rep(lb):
    return requests.get(lb.url("/rep"), timeout=10).json()["message"]


def tree_of(lb):
    """{replica name: [its supervisor's PID and every PID below it]}."""
    return {name: [pid] + descendants(pid) for name, pid in replica_pids(lb.stderr()).items() if pid_alive(pid)}


def served(lb, path="/home", **headers):
    return requests.get(lb.url(path), headers=headers, timeout=10)


# ---- a Flask replica, as the assignment writes it ---------------------------------------------------

def test_the_flask_example_serves_and_is_replaced_when_killed(start_balancer):
    lb = start_balancer("--replica-command", f"{PY} {ROOT}/examples/flask/server.py", "--start-timeout", "20s")
    assert rep(lb)["replicas"] == ["server-1", "server-2", "server-3"]
    seen = {served(lb, **{"X-Request-Id": str(k)}).json()["message"] for k in range(60)}
    assert seen == {f"Hello from Server: {i}" for i in (1, 2, 3)}
    # Kill the Flask process itself (not its supervisor): the replica ends and comes back.
    victim = tree_of(lb)["server-2"]
    flask_pid = victim[1]
    os.kill(flask_pid, signal.SIGKILL)
    new_name = wait_until(lambda: (lambda names: names[1] if names[1] != "server-2" else None)(
        rep(lb)["replicas"]), 30, what="server-2's replacement")
    wait_until(lambda: f'ringlb_replica_up{{replica="{new_name}",id="2"}} 1'
               in requests.get(lb.url("/metrics"), timeout=10).text, 30, what="the replacement up")
    assert not any(pid_alive(p) for p in victim)
    assert "Hello from Server: 2" in {served(lb, **{"X-Request-Id": str(k)}).json()["message"] for k in range(60)}


def test_placeholders_and_environment_reach_the_replica(start_balancer):
    command = ("sh -c 'echo \"args=$0,$1,$2,$3 env=$PORT,$HOST,$SERVER_ID,$REPLICA_NAME\"; "
               f"exec {PY} {REPLICAS}/echo_flask.py' {{port}} {{host}} {{id}} {{name}}")
    lb = start_balancer("--replica-command", command, "--start-timeout", "20s", replicas=1)
    line = wait_until(lambda: re.search(r"event=replica_output name=server-1 line=\"args=(\S+) env=(\S+)\"",
                                        lb.stderr()), 10, what="the replica's first line in ringlb's log")
    port, host, server_id, name = line.group(1).split(",")
    assert line.group(2) == line.group(1)
    assert (host, server_id, name) == ("127.0.0.1", "1", "server-1")
    assert f"address=127.0.0.1:{port}" in lb.stderr()


def test_the_replica_starts_with_every_signal_at_its_default(start_balancer):
    # ringlb ignores SIGPIPE; an ignored signal would stay ignored across exec.
    command = f"sh -c 'grep SigIgn /proc/$$/status; exec {PY} {REPLICAS}/echo_flask.py'"
    lb = start_balancer("--replica-command", command, "--start-timeout", "20s", replicas=1)
    line = wait_until(lambda: re.search(r'event=replica_output name=server-1 line="SigIgn:\s+([0-9a-f]+)"',
                                        lb.stderr()), 10, what="the replica's SigIgn line")
    assert int(line.group(1), 16) & (1 << (signal.SIGPIPE - 1)) == 0, line.group(0)


def test_heartbeat_path_is_configurable(start_balancer):
    env = {"ONLY_HEALTHZ": "1"}
    lb = start_balancer("--replica-command", FLASK, "--heartbeat-path", "/healthz", "--start-timeout", "20s",
                        replicas=2, env=env)
    assert rep(lb)["N"] == 2
    assert served(lb).status_code == 200


def test_replica_output_can_go_to_one_file_per_replica(start_balancer, tmp_path):
    lb = start_balancer("--replica-command", "sh -c 'echo hello from $REPLICA_NAME; exec \"$0\" \"$@\"' "
                        f"{PY} {REPLICAS}/echo_flask.py", "--replica-log-dir", str(tmp_path),
                        "--start-timeout", "20s", replicas=2)
    assert rep(lb)["N"] == 2
    for name in ("server-1", "server-2"):
        text = (tmp_path / f"{name}.log").read_text()
        assert f"hello from {name}" in text
    assert "replica_output" not in lb.stderr()


# ---- no orphans -------------------------------------------------------------------------------

def gunicorn_balancer(start_balancer, replicas=2):
    lb = start_balancer("--replica-command", GUNICORN, "--start-timeout", "30s", "--stop-timeout", "5s",
                        replicas=replicas)
    # A master and two workers below each supervisor.
    trees = wait_until(lambda: (lambda t: t if all(len(p) >= 4 for p in t.values()) and len(t) == replicas
                                else None)(tree_of(lb)), 20, what="gunicorn's workers")
    return lb, trees


def test_rm_of_a_gunicorn_replica_ends_all_its_processes(start_balancer):
    lb, trees = gunicorn_balancer(start_balancer)
    response = requests.delete(lb.url("/rm"), json={"n": 1, "hostnames": ["server-1"]}, timeout=30)
    assert response.status_code == 200, response.text
    wait_until(lambda: not any(pid_alive(p) for p in trees["server-1"]), 10, what="server-1's processes to end")
    assert all(pid_alive(p) for p in trees["server-2"])


def test_sigterm_of_ringlb_ends_every_gunicorn_process(start_balancer):
    lb, trees = gunicorn_balancer(start_balancer)
    lb.signal(signal.SIGTERM)
    assert lb.wait(timeout=30) == 0
    pids = [p for tree in trees.values() for p in tree]
    wait_until(lambda: not any(pid_alive(p) for p in pids), 10, what="every gunicorn process to end")


def test_sigkill_of_ringlb_ends_every_gunicorn_process(start_balancer):
    lb, trees = gunicorn_balancer(start_balancer)
    lb.signal(signal.SIGKILL)
    lb.wait(timeout=10)
    pids = [p for tree in trees.values() for p in tree]
    wait_until(lambda: not any(pid_alive(p) for p in pids), 10, what="every gunicorn process to end")


def test_detached_grandchildren_end_with_their_replica(start_balancer):
    # A command that starts a daemon in a new session (setsid) and exits: the daemon is still the
    # replica's, and ends with it.
    command = (f"sh -c 'setsid sleep 300 & exec {PY} {REPLICAS}/echo_flask.py'")
    lb = start_balancer("--replica-command", command, "--start-timeout", "20s", replicas=1)
    tree = wait_until(lambda: (lambda t: t if len(t.get("server-1", [])) >= 3 else None)(tree_of(lb)), 10,
                      what="the replica and its sleeper")
    lb.signal(signal.SIGKILL)
    lb.wait(timeout=10)
    wait_until(lambda: not any(pid_alive(p) for p in tree["server-1"]), 10, what="the sleeper to end too")


# ---- commands that do not work ------------------------------------------------------------------

def start_failures(log):
    return re.findall(r"event=replica_start_failed name=\S+ id=\d+ error=\"([^\"]*)\" retry_in=(\d+)(ms|s)", log)


# A Flask replica needs a second or more to import Flask on a busy machine: the one that must get
# as far as answering its heartbeat has a start timeout long enough for that.
@pytest.mark.parametrize("command, timeout, error", [
    ("sh -c 'echo bad config >&2; exit 3'", 2, r"exited \(exit 3\) before passing its heartbeat"),
    ("sleep 600", 2, r"no heartbeat within 2s \(last probe: .*refused"),
    (f"{PY} -m http.server --bind 127.0.0.1 {{id}}9999", 2, r"no heartbeat within 2s"),
    (f"env STATUS_HEARTBEAT=500 {FLASK}", 10, r"no heartbeat within 10s \(last probe: .*500"),
], ids=["exits-at-once", "never-listens", "wrong-port", "heartbeat-500"])
def test_a_replica_that_cannot_start_is_retried_with_backoff_and_add_fails_clearly(start_balancer, command,
                                                                                   timeout, error):
    lb = start_balancer("--replica-command", command, "--start-timeout", f"{timeout}s", replicas=1)
    failures = wait_until(lambda: (lambda f: f if len(f) >= 3 else None)(start_failures(lb.stderr())),
                          4 * timeout + 10, what="three failed starts")
    assert all(re.search(error, message) for message, _, _ in failures), failures
    delays = [int(value) * (1000 if unit == "s" else 1) for _, value, unit in failures]
    assert all(later > earlier for earlier, later in zip(delays, delays[1:])), delays
    started = time.monotonic()
    response = requests.post(lb.url("/add"), json={"n": 1, "hostnames": ["extra"]}, timeout=30)
    took = time.monotonic() - started
    assert response.status_code == 500
    assert re.search(r"<Error> could not start replica 'extra': " + error, response.json()["message"]), response.text
    assert took < timeout + 5, took
    assert lb.proc.poll() is None


@pytest.mark.parametrize("args, flag, message", [
    (["--replica-command", "gunicorn 'app"], "--replica-command", "unclosed single quote"),
    (["--replica-command", "srv --port {prot}"], "--replica-command", "unknown placeholder {prot}"),
    (["--replica-command", "no-such-program-here --x"], "--replica-command", "is not an executable file"),
    (["--replica-command", "sleep 1", "--replica-binary", "/bin/true"], "--replica-command", "not both"),
    (["--heartbeat-path", "healthz"], "--heartbeat-path", "not an absolute path"),
    (["--replica-log-dir", "/nonexistent/dir"], "--replica-log-dir", "not a writable directory"),
])
def test_unusable_replica_flags_are_refused_at_start(args, flag, message):
    result = subprocess.run([binary("ringlb"), "--port", "0", *args], capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 1 and flag in lines[0] and message in lines[0], result.stderr


# ---- real servers, pipelined batches ------------------------------------------------------------

@pytest.mark.parametrize("command", [FLASK, GUNICORN, AIOHTTP, NGINX], ids=["werkzeug", "gunicorn", "aiohttp", "nginx"])
def test_2000_requests_through_batches_each_get_their_own_answer(start_balancer, command):
    lb = start_balancer("--replica-command", command, "--start-timeout", "30s", "--upstream-batch", "16",
                        threads=1)

    def run(worker):
        failures = []
        with requests.Session() as session:
            for i in range(125):
                token = f"w{worker}-r{i}"
                try:
                    response = session.get(lb.url(f"/echo/{token}"), headers={"X-Request-Id": token}, timeout=20)
                    if response.status_code != 200 or response.json()["token"] != token:
                        failures.append((token, response.status_code, response.text[:200]))
                except requests.RequestException as error:
                    failures.append((token, "error", repr(error)))
        return failures

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        failures = [f for result in pool.map(run, range(16)) for f in result]
    assert failures == []
    metrics = requests.get(lb.url("/metrics"), timeout=10).text
    answered = sum(int(v) for v in re.findall(r"^ringlb_requests_total\{[^}]*\} (\d+)", metrics, re.M))
    failed = sum(int(v) for v in re.findall(r"^ringlb_request_failures_total\{[^}]*\} (\d+)", metrics, re.M))
    problems = [line for line in lb.stderr().splitlines() if "level=info" not in line]
    assert answered >= 2000 and failed == 0, (problems, metrics)
