import os
import sys

import pytest

# The shared process helpers (pylib/ringlb_procs.py), for this file and every test module here.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pylib"))

from ringlb_procs import Process, binary  # noqa: E402


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


@pytest.fixture
def start_balancer():
    """Starts ringlb (process driver, replicas on 127.0.0.1) on port 0; stops it at teardown."""
    started = []

    def start(*args, replicas=3, threads=2, env=None):
        proc = Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", str(threads),
                        "--replicas", str(replicas), *args], env=env, ready_timeout=30)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
