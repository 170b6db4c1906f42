"""Starting, waiting for and checking the processes of ringlb's tests, chaos run, analysis and
benchmarks: one place for the readiness wait, the liveness checks and the polling helper.

Users put this folder on sys.path with one line (tests/integration/conftest.py, tests/docker/
dockerlib.py, tests/chaos/chaos.py, analysis/balancer.py, bench/benchlib.py). Everything here runs
on 127.0.0.1 and stops only the processes it started, by their PID or process group."""

import os
import re
import select
import signal
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN_DIR = os.environ.get("RINGLB_BIN_DIR", os.path.join(ROOT, "build", "bin"))
# What ringlb and ringlb-server print on stdout once they accept connections.
LISTENING = re.compile(r"listening on (\S+):(\d+)")
REPLICA_STARTED = re.compile(r"event=replica_started name=(\S+) .*pid=(\d+)")


def binary(name, bin_dir=None):
    """The path of a built binary; raises RuntimeError saying how to build it when it is missing."""
    path = os.path.join(bin_dir or BIN_DIR, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is not built (set RINGLB_BIN_DIR or run `make build`)")
    return path


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Polls predicate until it returns a true value, which is returned. A predicate that raises
    counts as not yet true (a server still starting refuses, resets, answers bad JSON); the last
    error is in the AssertionError raised after `timeout` seconds. `what` may be a callable, asked
    for its description only then (to report what was last seen)."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - reported if the wait times out
            last_error = error
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    what = what() if callable(what) else what
    raise AssertionError(f"timed out after {timeout}s waiting for {what}" +
                         (f" (last error: {last_error!r})" if last_error else ""))


def pid_alive(pid):
    """True while a process with this PID exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone before the open, or between open and read
        return False


def parent_pid(pid):
    """The parent's PID of a live process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def descendants(pid):
    """The PIDs of every live process below `pid` (its children, their children, ...)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            child = int(entry)
            parent = parent_pid(child)
            if parent is not None and pid_alive(child):
                parents[child] = parent
    found, frontier = [], [pid]
    while frontier:
        below = [child for child, parent in parents.items() if parent == frontier[-1]]
        frontier.pop()
        found += below
        frontier += below
    return found


def server_pid(supervisor):
    """The PID of the command a replica supervisor (`ringlb --replica-supervisor`) runs: its first
    child, waited for briefly; the supervisor's own PID when it has none (it has exited)."""
    deadline = time.monotonic() + 2
    while True:
        children = [int(e) for e in os.listdir("/proc") if e.isdigit() and parent_pid(int(e)) == supervisor]
        if children or not pid_alive(supervisor) or time.monotonic() > deadline:
            return min(children) if children else supervisor
        time.sleep(0.02)


def replica_pids(log_text):
    """{name: pid} of every replica process a ringlb log (its stderr) reports starting."""
    return {m.group(1): int(m.group(2)) for m in REPLICA_STARTED.finditer(log_text)}


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


def free_port():
    """A port nothing listens on right now (for programs that cannot take port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=10.0):
    """Returns once 127.0.0.1:port accepts a connection; raises RuntimeError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def _listening_port(proc, timeout):
    """The port of the 'listening on HOST:PORT' line proc prints on its stdout pipe, or None when
    it exits, closes stdout or prints none within `timeout`."""
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                return None
            seen += chunk
            match = LISTENING.search(seen.decode(errors="replace"))
            if match:
                return int(match.group(2))
        if proc.poll() is not None:
            return None
    return None


class Process:
    """A ringlb or ringlb-server child, ready once its stdout says 'listening on HOST:PORT'.

    Its stderr (the log) goes to a file that stderr() reads. stop() sends SIGTERM, waits, then
    SIGKILLs, so a caller leaves nothing behind even when it fails. A start that does not get ready
    within `ready_timeout` stops the child and raises RuntimeError with its log."""

    def __init__(self, args, env=None, ready_timeout=10.0, new_session=False, log_prefix="ringlb-test-",
                 stop_timeout=10.0, preexec_fn=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.stop_timeout = stop_timeout
        self._stderr = tempfile.NamedTemporaryFile(prefix=f"{log_prefix}{os.getpid()}-", suffix=".log",
                                                   delete=False)
        self.stderr_path = self._stderr.name
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr, env=full_env,
                                     start_new_session=new_session, preexec_fn=preexec_fn)
        try:
            port = _listening_port(self.proc, ready_timeout)
        except BaseException:  # interrupted while waiting: leave nothing behind
            self.stop()
            raise
        if port is None:
            log = self.stderr()
            self.stop()
            raise RuntimeError(f"{args[0]} did not start ({' '.join(map(str, args))}): {log}")
        self.port = port

    @property
    def pid(self):
        return self.proc.pid

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stderr(self):
        self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def replica_pids(self):
        """{name: pid} of every replica this ringlb reported starting: the replica's own server
        process (its supervisor's child) while it runs, else the supervisor's PID from the log."""
        return {name: server_pid(pid) for name, pid in replica_pids(self.stderr()).items()}

    def signal(self, signo):
        if self.proc.poll() is None:
            self.proc.send_signal(signo)

    def wait(self, timeout):
        return self.proc.wait(timeout=timeout)

    def stop(self, timeout=None):
        """Stops the child (SIGTERM, then SIGKILL after `timeout`), removes its log, returns its
        exit code. Safe to call more than once."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=self.stop_timeout if timeout is None else timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self._stderr.closed:
            self.proc.stdout.close()
            self._stderr.close()
            try:
                os.unlink(self.stderr_path)
            except FileNotFoundError:
                pass
        return self.proc.returncode


class Daemon:
    """A program that prints no 'listening on' line (nginx, HAProxy, or ringlb on a fixed port),
    started in a session of its own and ready once `port` accepts connections; stop() ends its
    whole process group (SIGTERM, then SIGKILL)."""

    def __init__(self, args, port, env=None, stderr=subprocess.DEVNULL, ready_timeout=10.0):
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=stderr,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        try:
            wait_for_port(port, ready_timeout)
        except RuntimeError:
            self.stop()
            raise

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
