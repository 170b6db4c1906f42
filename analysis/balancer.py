"""Starts ringlb for one experiment, reads its log, kills one of its replicas, stops it.

Only loopback addresses are used, and everything started here is stopped by its PID (or, with the
docker driver, by the label that marks this run's containers), even when an experiment fails."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from stats import log_time, parse_logfmt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))

from ringlb_procs import Process, parent_pid, wait_until  # noqa: E402

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class AnalysisError(RuntimeError):
    """An experiment could not run; the message says what to do."""


def require_binary(bin_dir, name):
    path = os.path.join(bin_dir, name)
    if not os.access(path, os.X_OK):
        raise AnalysisError(f"{path} is missing: build it first (make build), or pass --bin-dir")
    return path


class ProcessDriver:
    """ringlb's default: replicas are local ringlb-server processes, children of ringlb."""

    name = "process"

    def flags(self):
        return ["--driver", "process"]

    def kill(self, balancer, replica):
        pid = int(replica["pid"])
        # Only a child of the ringlb started here may be killed.
        if parent_pid(pid) != balancer.proc.pid:
            raise AnalysisError(f"pid {pid} ({replica['name']}) is not a replica of ringlb {balancer.proc.pid}")
        os.kill(pid, signal.SIGKILL)

    def cleanup(self):
        pass


class DockerDriver:
    """Replicas are containers of the compose stack's image on its network, made by ringlb's
    docker driver; this run's containers carry their own instance label."""

    name = "docker"

    def __init__(self, image="ringlb-server:latest", network="net1"):
        self.image = image
        self.network = network
        self.instance = f"analysis-{os.getpid()}"
        if subprocess.run(["docker", "version"], capture_output=True).returncode != 0:
            raise AnalysisError("ANALYSIS_DRIVER=docker needs a running Docker engine "
                                "(scripts/docker-engine starts one) and `make images`")

    def flags(self):
        return ["--driver", "docker", "--docker-image", self.image, "--docker-network",
                self.network, "--docker-instance", self.instance]

    def kill(self, balancer, replica):
        subprocess.run(["docker", "kill", replica["container"]], check=True, capture_output=True)

    def cleanup(self):
        listed = subprocess.run(["docker", "ps", "-aq", "--filter", "label=ringlb.managed=true",
                                 "--filter", f"label=ringlb.instance={self.instance}"],
                                capture_output=True, text=True)
        ids = listed.stdout.split()
        if ids:
            subprocess.run(["docker", "rm", "-f", "-v", *ids], capture_output=True)
        # The network too, when ringlb made it for this run (the compose stack's has no such label).
        networks = subprocess.run(["docker", "network", "ls", "-q", "--filter", "label=ringlb.managed=true",
                                   "--filter", f"label=ringlb.instance={self.instance}"],
                                  capture_output=True, text=True).stdout.split()
        if networks:
            subprocess.run(["docker", "network", "rm", *networks], capture_output=True)


def make_driver(name):
    if name == "process":
        return ProcessDriver()
    if name == "docker":
        return DockerDriver()
    raise AnalysisError(f"unknown driver '{name}': process or docker")


class Balancer:
    """One ringlb on 127.0.0.1, port chosen by the kernel. Use as a context manager."""

    def __init__(self, bin_dir, driver, replicas, hash_flags):
        self.binary = require_binary(bin_dir, "ringlb")
        self.driver = driver
        self.args = [self.binary, "--host", "127.0.0.1", "--port", "0", "--replicas",
                     str(replicas), *driver.flags(), *hash_flags]
        self._process = None

    def __enter__(self):
        try:
            self._process = Process(self.args, ready_timeout=READY_TIMEOUT, log_prefix="ringlb-analysis-",
                                    stop_timeout=STOP_TIMEOUT)
        except RuntimeError as error:
            self.driver.cleanup()
            raise AnalysisError(str(error)) from None
        except BaseException:
            self.driver.cleanup()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def proc(self):
        return self._process.proc

    @property
    def port(self):
        return self._process.port

    def url(self, path):
        return self._process.url(path)

    def log_text(self):
        return self._process.stderr()

    def events(self, name=None):
        """The parsed log lines, in order; only those of event `name` when given."""
        lines = [parse_logfmt(line) for line in self.log_text().splitlines() if "event=" in line]
        return [e for e in lines if name is None or e.get("event") == name]

    def wait_for_event(self, name, predicate=lambda e: True, timeout=30.0):
        try:
            return wait_until(lambda: next((e for e in self.events(name) if predicate(e)), None), timeout,
                              interval=0.02, what=f"a '{name}' event")
        except AssertionError:
            raise AnalysisError(f"ringlb logged no '{name}' event within {timeout} s:\n{self.log_text()}") from None

    def replica(self, server_id):
        """The latest replica started with this server ID: its name, pid or container, time."""
        started = [e for e in self.events()
                   if e.get("event") in ("replica_started", "docker_replica_started")
                   and e.get("id") == str(server_id)]
        if not started:
            raise AnalysisError(f"ringlb logged no start of a replica with server ID {server_id}")
        return started[-1]

    def kill_replica(self, server_id):
        """Kills the replica with this server ID without warning; returns the Unix time of the kill."""
        replica = self.replica(server_id)
        killed_at = time.time()
        self.driver.kill(self, replica)
        return killed_at, replica

    def event_time(self, event):
        return log_time(event)

    def request(self, method, path, payload=None):
        """One request to the load balancer: (status, body text)."""
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.url(path), data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self):
        if self._process is not None:
            self._process.stop()
            self._process = None
        self.driver.cleanup()
