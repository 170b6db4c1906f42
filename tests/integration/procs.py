"""Start ringlb's real binaries for tests and make sure they are gone afterwards."""

import os
import re
import select
import signal
import socket
import struct
import subprocess
import time

BIN_DIR = os.environ.get("RINGLB_BIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))
LISTENING = re.compile(r"listening on (\S+):(\d+)")


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is not built (set RINGLB_BIN_DIR or run `make build`)")
    return path


class Process:
    """A child process whose stdout announces 'listening on HOST:PORT'.

    stop() (also called by the fixtures on teardown) sends SIGTERM, waits, then SIGKILLs, so a test
    leaves nothing behind even when it fails."""

    def __init__(self, args, env=None, ready_timeout=10.0, new_session=False):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.stderr_path = f"/tmp/ringlb-test-{os.getpid()}-{time.monotonic_ns()}.log"
        self._stderr = open(self.stderr_path, "w+b")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr, env=full_env,
                                     start_new_session=new_session)
        self.port = self._wait_for_port(ready_timeout)

    def _wait_for_port(self, timeout):
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
                match = LISTENING.search(line.decode(errors="replace"))
                if match:
                    return int(match.group(2))
            if self.proc.poll() is not None:
                break
        log = self.stderr()
        self.stop()
        raise RuntimeError(f"{self.proc.args[0]} did not start: {log}")

    @property
    def pid(self):
        return self.proc.pid

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stderr(self):
        self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def signal(self, signo):
        if self.proc.poll() is None:
            self.proc.send_signal(signo)

    def wait(self, timeout):
        return self.proc.wait(timeout=timeout)

    def stop(self, timeout=10.0):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self._stderr.close()
        try:
            os.unlink(self.stderr_path)
        except FileNotFoundError:
            pass
        return self.proc.returncode


def raw_exchange(port, data, timeout=5.0):
    """Sends raw bytes to 127.0.0.1:port and returns everything that comes back until the server
    closes the connection (for malformed or hostile requests that no HTTP client would send)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


def pid_alive(pid):
    """True while a process with this PID exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone before the open, or between open and read
        return False


def read_answer(sock):
    """One complete answer with a Content-Length body from `sock`; b"" if the server closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def segments_received(sock):
    """TCP segments that have arrived on `sock` so far (Linux TCP_INFO tcpi_segs_in), to see how
    many writes the other end needed for what it sent."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return struct.unpack_from("I", info, 140)[0]  # offset of tcpi_segs_in in struct tcp_info


def allocator_of(pid, timeout=2.0):
    """The allocator a running ringlb or ringlb-server uses: "jemalloc" once jemalloc's background
    thread (which only src/allocator's settings start) is there, "sanitizer" for an ASan or TSan
    build, which keeps the sanitizer's own, or None when neither shows within `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        with open(f"/proc/{pid}/maps") as f:
            if re.search(r"lib[at]san\.so", f.read()):
                return "sanitizer"
        names = []
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as f:
                    names.append(f.read().strip())
            except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
                pass
        if "jemalloc_bg_thd" in names:
            return "jemalloc"
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)
