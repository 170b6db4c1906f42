import re

import pytest

from procs import Process, binary


@pytest.fixture
def start_replica():
    """Starts ringlb-server processes on 127.0.0.1, port 0; stops them all at teardown."""
    started = []

    def start(server_id=1, *args, env=None):
        proc = Process([binary("ringlb-server"), "--host", "127.0.0.1", "--port", "0",
                        "--threads", "2", *(["--id", str(server_id)] if server_id is not None else []),
                        *args], env=env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


class Balancer(Process):
    """A running ringlb with helpers to read its log."""

    def replica_pids(self):
        """{name: pid} of every replica process ringlb reported starting."""
        pids = {}
        for line in self.stderr().splitlines():
            match = re.search(r"event=replica_started name=(\S+) .*pid=(\d+)", line)
            if match:
                pids[match.group(1)] = int(match.group(2))
        return pids


@pytest.fixture
def start_balancer():
    """Starts ringlb (process driver, replicas on 127.0.0.1) on port 0; stops it at teardown."""
    started = []

    def start(*args, replicas=3, threads=2, env=None):
        proc = Balancer([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", str(threads),
                         "--replicas", str(replicas), *args], env=env, ready_timeout=30)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
