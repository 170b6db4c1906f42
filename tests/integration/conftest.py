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


# When set, the replicas of every test that does not choose its own (--replica-binary,
# --replica-command) run this command instead of ringlb-server: the contract suite runs again
# against Flask replicas this way (integration.balancer_flask in CMakeLists.txt).
REPLICA_COMMAND = os.environ.get("RINGLB_TEST_REPLICA_COMMAND")


@pytest.fixture
def start_balancer():
    """Starts ringlb (process driver, replicas on 127.0.0.1) on port 0; stops it at teardown."""
    started = []

    def start(*args, replicas=3, threads=2, env=None):
        chosen = any(a in ("--replica-binary", "--replica-command") for a in args)
        replica = ["--replica-command", REPLICA_COMMAND] if REPLICA_COMMAND and not chosen else []
        proc = Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", str(threads),
                        "--replicas", str(replicas), *replica, *args], env=env, ready_timeout=60)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
