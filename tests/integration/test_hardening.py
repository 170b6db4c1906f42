"""What must not take ringlb down or past its limits: signals, bad settings, a shared state directory,
a hash table that is full."""

import json
import os
import select
import signal
import subprocess
import time

import pytest
import requests

from ringlb_procs import binary, descendants, pid_alive, replica_pids, wait_until


def run_refused(*args):
    """Runs ringlb with args that must stop it at start: returns its stderr, after checking the exit."""
    result = subprocess.run([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", *args],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0, result.stderr
    return result.stderr


def metric(url, name):
    """The value of an unlabelled metric in ringlb's /metrics."""
    for line in requests.get(url + "/metrics", timeout=5).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


def listening_port(proc, timeout=30):
    """The port of the 'listening on' line on proc's stdout pipe; fails if proc exits first."""
    seen = b""
    deadline = time.monotonic() + timeout
    while b"listening on" not in seen:
        assert proc.poll() is None, f"ringlb exited with {proc.returncode} before listening"
        assert time.monotonic() < deadline, f"no 'listening on' within {timeout}s: {seen!r}"
        if select.select([proc.stdout], [], [], 0.2)[0]:
            seen += os.read(proc.stdout.fileno(), 4096)
    return int(seen.decode().split("listening on ")[1].split()[0].rsplit(":", 1)[1])


@pytest.mark.parametrize("args, flag, words", [
    (["--heartbeat-timeout", "0ms"], "--heartbeat-timeout", "must be more than 0"),
    (["--heartbeat-interval", "0ms"], "--heartbeat-interval", "must be more than 0"),
    (["--start-timeout", "0s"], "--start-timeout", "must be more than 0"),
    (["--response-timeout", "0s"], "--response-timeout", "must be more than 0"),
    (["--heartbeat-interval", "100ms"], "--heartbeat-timeout", "raise --heartbeat-interval"),
    (["--driver", "docker", "--docker-socket", "/nonexistent/docker.sock"], "--docker-socket", "is not a socket"),
    (["--replica-binary", "/nonexistent/server"], "--replica-binary", "is not an executable file"),
    (["--hash", "classic", "--max-replicas", "57"], "--max-replicas", "holds at most 56 replicas"),
    (["--hash", "maglev", "--maglev-size", "7", "--max-replicas", "8"], "--max-replicas", "holds at most 7"),
    (["--hash", "classic", "--hash-slots", "100", "--replicas", "12"], "--replicas", "more than --max-replicas (11)"),
])
def test_bad_settings_stop_the_start_with_one_line_naming_the_flag(args, flag, words):
    stderr = run_refused(*args)
    lines = [line for line in stderr.splitlines() if line.strip() and "event=" not in line]
    assert len(lines) >= 1 and flag in lines[0] and words in lines[0], stderr


def test_help_says_which_timeouts_may_be_zero_and_that_a_failing_replica_is_retried():
    text = subprocess.run([binary("ringlb"), "--help"], capture_output=True, text=True, timeout=10).stdout
    flat = " ".join(text.split())
    assert "Every timeout and interval must be more than 0, except --drain-timeout and --stop-timeout" in flat
    assert "exits at once is not refused" in flat, text


def test_zero_drain_and_stop_timeouts_are_accepted(start_balancer):
    lb = start_balancer("--drain-timeout", "0s", "--stop-timeout", "0s", replicas=1)
    assert requests.get(lb.url("/home"), timeout=5).status_code == 200
    pids = lb.replica_pids()
    assert lb.stop() == 0
    wait_until(lambda: not any(pid_alive(pid) for pid in pids.values()), 5, what="the replica gone")


def test_a_state_file_with_a_one_character_name_is_refused_at_start(tmp_path):
    # Allowed before names had to be 2 characters long (CHANGELOG); such a file now stops the start.
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text(json.dumps({"version": 1, "replicas": [{"name": "a", "id": 1}]}))
    stderr = run_refused("--threads", "1", "--state-dir", str(state))
    assert "is not valid (each replica needs a valid 'name'" in stderr, stderr


def test_max_replicas_is_lowered_to_what_the_table_holds_and_add_past_it_is_a_400(start_balancer):
    # M = 100 slots, K = 9: 11 replicas fit. --max-replicas was not given, so it is lowered, said so.
    lb = start_balancer("--hash", "classic", "--hash-slots", "100")
    assert "event=max_replicas_lowered from=100 to=11" in lb.stderr()
    answer = requests.post(lb.url("/add"), data=json.dumps({"n": 9}), timeout=10)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("<Error> cannot add 9 replicas"), answer.text
    assert requests.get(lb.url("/rep"), timeout=5).json()["message"]["N"] == 3
    assert len(lb.replica_pids()) == 3  # nothing was started for the refused call


def test_a_second_ringlb_on_the_same_state_dir_refuses_to_start(start_balancer, tmp_path):
    state = str(tmp_path / "state")
    start_balancer("--state-dir", state, replicas=1)
    stderr = run_refused("--state-dir", state, "--replicas", "1")
    assert "is in use by another ringlb" in stderr, stderr


def test_signals_that_would_end_it_are_logged_and_ignored(start_balancer):
    lb = start_balancer(replicas=2)
    before = lb.replica_pids()
    for signo, name in ((signal.SIGHUP, "SIGHUP"), (signal.SIGUSR1, "SIGUSR1")):
        lb.signal(signo)
        wait_until(lambda: f"event=signal_ignored signal={name}" in lb.stderr(), 5, what=f"{name} logged")
    assert lb.proc.poll() is None
    assert requests.get(lb.url("/rep"), timeout=5).json()["message"]["N"] == 2
    assert all(pid_alive(pid) for pid in before.values())


def test_a_reader_of_stderr_that_goes_away_costs_log_lines_not_the_process():
    # stderr is a pipe whose reader closes: the next log line would raise SIGPIPE, whose default
    # action ends ringlb and, with it, every replica.
    proc = subprocess.Popen([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "1",
                             "--replicas", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = listening_port(proc)
        early_log = os.read(proc.stderr.fileno(), 65536).decode(errors="replace")
        proc.stderr.close()
        url = f"http://127.0.0.1:{port}"
        answer = requests.post(url + "/add", data=json.dumps({"n": 1, "hostnames": ["after-close"]}), timeout=20)
        assert answer.status_code == 200, answer.text  # replica_added was logged into the closed pipe
        assert proc.poll() is None
        assert requests.get(url + "/home", timeout=5).status_code == 200
        assert metric(url, "ringlb_log_lines_lost_total") > 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert all(not pid_alive(pid) for pid in replica_pids(early_log).values())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def test_a_stderr_without_a_reader_from_the_start_costs_the_first_log_lines_not_the_process():
    # --hash-slots 100 makes the option parser log max_replicas_lowered, ringlb's very first line,
    # before anything else is set up: SIGPIPE must be ignored by then.
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.Popen([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "1",
                             "--replicas", "1", "--hash", "classic", "--hash-slots", "100"],
                            stdout=subprocess.PIPE, stderr=write_end)
    os.close(write_end)
    try:
        url = f"http://127.0.0.1:{listening_port(proc)}"
        assert requests.get(url + "/home", timeout=5).status_code == 200
        assert metric(url, "ringlb_log_lines_lost_total") >= 2  # max_replicas_lowered, starting, ...
        below = descendants(proc.pid)
        assert below, "no replica process under ringlb"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        wait_until(lambda: not any(pid_alive(pid) for pid in below), 10, what="every replica gone")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def test_a_saved_membership_wins_over_replicas_and_says_so(start_balancer, tmp_path):
    state = str(tmp_path / "state")
    first = start_balancer("--state-dir", state, replicas=2)
    saved = requests.get(first.url("/rep"), timeout=5).json()["message"]
    assert first.stop() == 0
    second = start_balancer("--state-dir", state, replicas=4)
    assert "event=replicas_flag_ignored replicas=4 saved=2" in second.stderr()
    assert requests.get(second.url("/rep"), timeout=5).json()["message"] == saved
    assert len(second.replica_pids()) == 2


def test_a_start_that_fails_stops_every_replica_and_exits_1(tmp_path):
    # A saved membership of 12 replicas, and a hash table that holds 11: the table cannot be built
    # once the replicas have started. ringlb used to crash or hang here; it must stop them all.
    state = tmp_path / "state"
    state.mkdir()
    replicas = [{"name": f"saved-{i}", "id": i} for i in range(1, 13)]
    (state / "state.json").write_text(json.dumps({"version": 1, "replicas": replicas}))
    result = subprocess.run([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "1",
                             "--hash", "classic", "--hash-slots", "100", "--state-dir", str(state)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "event=start_failed" in result.stderr
    assert "do not fit" in result.stderr.splitlines()[-1], result.stderr
    started = replica_pids(result.stderr)
    assert started, result.stderr
    wait_until(lambda: not any(pid_alive(pid) for pid in started.values()), 10, what="every replica gone")


def test_the_bearer_scheme_is_case_insensitive(start_balancer):
    lb = start_balancer(replicas=1, env={"RINGLB_ADMIN_TOKEN": "s3cret"})
    payload = json.dumps({"n": 1, "hostnames": ["lower-case"]})
    assert requests.post(lb.url("/add"), data=payload, headers={"Authorization": "Basic s3cret"},
                         timeout=20).status_code == 401
    answer = requests.post(lb.url("/add"), data=payload, headers={"Authorization": "bearer s3cret"}, timeout=20)
    assert answer.status_code == 200, answer.text
    assert "lower-case" in answer.json()["message"]["replicas"]


def test_requests_waiting_on_a_hung_replica_move_on_once_it_is_marked_down(start_balancer):
    # Detection: 3 x (100ms + 200ms) ~ 0.9 s. The hung replica is killed only after --stop-timeout
    # (5 s); before, the requests waiting on it waited for that, or for --response-timeout (10 s).
    lb = start_balancer("--heartbeat-interval", "100ms", "--heartbeat-timeout", "200ms",
                        "--stop-timeout", "5s", "--response-timeout", "10s", replicas=2)
    owner = {}
    for key in range(1000, 1040):
        answer = requests.get(lb.url("/home"), headers={"X-Request-Id": str(key)}, timeout=5)
        owner[key] = answer.json()["message"]
    victim_pid = lb.replica_pids()["server-1"]
    victim_keys = [k for k, who in owner.items() if who == "Hello from Server: 1"][:3]
    assert victim_keys, owner
    os.kill(victim_pid, signal.SIGSTOP)
    try:
        results = {}

        def call(name, method, key):
            started = time.monotonic()
            answer = requests.request(method, lb.url("/home"), headers={"X-Request-Id": str(key)}, timeout=15)
            results[name] = (answer.status_code, answer.text, time.monotonic() - started)

        import threading
        threads = [threading.Thread(target=call, args=(f"get-{k}", "GET", k)) for k in victim_keys]
        threads.append(threading.Thread(target=call, args=("post", "POST", victim_keys[0])))
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        for name, (status, text, elapsed) in results.items():
            assert elapsed < 3.5, (name, status, elapsed)
            if name.startswith("get"):
                assert status == 200 and "Hello from Server: 2" in text, (name, status, text)
            else:  # not idempotent: it may have been processed, so it fails rather than go twice
                assert status == 502, (name, status, text)
        assert len(results) == len(threads)
    finally:
        if pid_alive(victim_pid):
            os.kill(victim_pid, signal.SIGCONT)
