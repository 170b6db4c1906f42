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
