"""A replica's identity is not its name: a name re-used while its previous holder is still being
stopped belongs to the new holder alone (process driver, real binaries on 127.0.0.1)."""

import os
import re
import signal
import time

import requests

from ringlb_procs import pid_alive, server_pid


def wait_for(condition, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def started_pids(lb, name):
    """The pids of every replica server ringlb started under `name`, in start order (each
    supervisor's child while it runs)."""
    return [server_pid(int(m.group(1))) for m in
            re.finditer(rf"event=replica_started name={re.escape(name)} .*pid=(\d+)", lb.stderr())]


def test_reused_name_belongs_to_its_new_holder_alone(start_balancer):
    # A stop takes the whole --stop-timeout for a hung replica: that is the window in which its
    # name is re-used.
    lb = start_balancer("--heartbeat-interval", "100ms", "--heartbeat-timeout", "200ms",
                        "--stop-timeout", "4s", replicas=1)
    answer = requests.post(lb.url("/add"), json={"n": 1, "hostnames": ["S1"]}, timeout=30)
    assert answer.status_code == 200, answer.text
    [old] = started_pids(lb, "S1")
    os.kill(old, signal.SIGSTOP)  # hung: it ignores SIGTERM until it is killed
    new = None
    try:
        # Replaced under a fresh name; the old holder of "S1" is still being stopped.
        assert wait_for(lambda: "event=replica_replaced old=S1 " in lb.stderr(), timeout=10), lb.stderr()
        assert pid_alive(old)
        answer = requests.post(lb.url("/add"), json={"n": 1, "hostnames": ["S1"]}, timeout=30)
        assert answer.status_code == 200, answer.text
        pids = started_pids(lb, "S1")
        assert len(pids) == 2 and pids[0] == old
        new = pids[1]
        log_before_exit = len(lb.stderr())

        assert wait_for(lambda: not pid_alive(old), timeout=15), "the hung replica was not killed"
        # The stale holder's exit is not the new holder's: S1 stays up and in /rep.
        after = lb.stderr()[log_before_exit:]
        assert "event=replica_down name=S1 " not in after, after
        assert "S1" in requests.get(lb.url("/rep"), timeout=10).json()["message"]["replicas"]

        # /rm stops the process that really holds the name.
        answer = requests.delete(lb.url("/rm"), json={"n": 1, "hostnames": ["S1"]}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert wait_for(lambda: not pid_alive(new), timeout=10), "/rm left the new holder of S1 running"
        assert "event=replica_down name=S1 " not in lb.stderr()[log_before_exit:]
    finally:
        for pid in (old, new):
            if pid is not None and pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
