"""DockerDriver against a real engine, through ringlb-docker-driver-tool (tests/docker/driver_tool.cpp),
one driver call per run. Needs only the engine and the ringlb-server image (built here by `make
images`). Each test has its own network and instance label, and removes all of it afterwards."""

import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
import requests

from dockerlib import REPO, containers, docker, inspect, labelled, make, network_exists, remove_labelled
from ringlb_procs import wait_until

TOOL = os.environ.get("RINGLB_DRIVER_TOOL",
                      os.path.join(REPO, "build", "test-tools", "ringlb-docker-driver-tool"))


@pytest.fixture(scope="session")
def server_image():
    make("images")
    docker("image", "inspect", "ringlb-server:latest")
    return "ringlb-server:latest"


class Driver:
    """One DockerDriver configuration: its own network and instance label."""

    def __init__(self, image):
        suffix = uuid.uuid4().hex[:8]
        self.instance = f"pytest-{suffix}"
        self.network = f"ringlb-test-{suffix}"
        self.image = image
        self.foreign = []  # containers a test made without the driver

    def args(self, *command, socket_path=None, image=None, timeout_ms=None):
        args = [TOOL, "--instance", self.instance, "--network", self.network, "--image", image or self.image]
        if socket_path:
            args += ["--socket", socket_path]
        if timeout_ms:
            args += ["--api-timeout-ms", str(timeout_ms)]
        return args + [str(c) for c in command]

    def run(self, *command, timeout=60, **options):
        """Runs one call; returns (exit code, the JSON it printed, its log lines)."""
        done = subprocess.run(self.args(*command, **options), capture_output=True, text=True, timeout=timeout)
        lines = done.stdout.strip().splitlines()
        return done.returncode, (json.loads(lines[-1]) if lines else None), done.stderr

    def ok(self, *command, **options):
        code, result, log = self.run(*command, **options)
        assert code == 0, f"{command}: exit {code}, {result}, {log}"
        return result

    def cleanup(self):
        remove_labelled(self.instance)
        for name in self.foreign:
            docker("rm", "-f", name, check=False)
        if network_exists(self.network):
            docker("network", "rm", self.network, check=False)


@pytest.fixture
def driver(server_image):
    d = Driver(server_image)
    yield d
    d.cleanup()
    assert labelled(d.instance) == [], "a test left containers behind"


def home(replica, timeout=10.0):
    """The replica's /home answer, waiting for it to listen."""
    url = f"http://{replica['ip']}:{replica['port']}/home"
    return wait_until(lambda: requests.get(url, timeout=1).json(), timeout, what=url)


def test_start_creates_a_labelled_replica_on_the_network(driver):
    replica = driver.ok("start", "S11", 11)
    assert replica["name"] == "S11" and replica["server_id"] == 11 and replica["port"] == 5000
    assert home(replica) == {"message": "Hello from Server: 11", "status": "successful"}

    container = inspect("S11")
    labels = container["Config"]["Labels"]
    assert {key: labels.get(key) for key in ("ringlb.managed", "ringlb.instance", "ringlb.server-id")} == {
        "ringlb.managed": "true", "ringlb.instance": driver.instance, "ringlb.server-id": "11"}
    assert "SERVER_ID=11" in container["Config"]["Env"]
    assert container["Config"]["Image"] == "ringlb-server:latest"
    endpoint = container["NetworkSettings"]["Networks"][driver.network]
    assert endpoint["IPAddress"] == replica["ip"]
    assert "S11" in endpoint["Aliases"]
    # Nothing from outside reaches the container's configuration beyond the name and ID.
    assert not container["HostConfig"]["Binds"] and not container["HostConfig"]["Privileged"]
    assert inspect(driver.network)["Labels"]["ringlb.instance"] == driver.instance


def test_list_adopts_what_another_process_started_without_duplicates(driver):
    started = [driver.ok("start", name, sid) for name, sid in (("a1", 1), ("a2", 2))]
    for _ in range(2):
        listed = driver.ok("list")
        assert sorted(listed, key=lambda r: r["name"]) == started
    assert labelled(driver.instance) == ["a1", "a2"]


def test_stop_removes_the_container_and_is_idempotent(driver):
    driver.ok("start", "gone", 3)
    assert driver.ok("stop", "gone") == {"stopped": "gone"}
    assert labelled(driver.instance) == []
    assert driver.ok("list") == []
    driver.ok("stop", "gone")  # already gone: not an error


def test_list_removes_a_dead_replica_container(driver):
    driver.ok("start", "dead", 4)
    driver.ok("start", "alive", 5)
    docker("kill", "dead")
    listed = driver.ok("list")
    assert [r["name"] for r in listed] == ["alive"]
    assert labelled(driver.instance) == ["alive"]


def test_containers_that_are_not_ours_are_never_touched(driver):
    driver.ok("start", "mine", 6)  # makes the network
    stranger = f"stranger-{driver.instance}"
    other_lb = f"other-lb-{driver.instance}"
    driver.foreign += [stranger, other_lb]
    docker("run", "-d", "--name", stranger, "--network", driver.network, driver.image, "--id", "1")
    docker("run", "-d", "--name", other_lb, "--network", driver.network,
           "--label", "ringlb.managed=true", "--label", "ringlb.instance=someone-else",
           "--label", "ringlb.server-id=2", driver.image, "--id", "2")

    assert [r["name"] for r in driver.ok("list")] == ["mine"]
    for name in (stranger, other_lb):
        code, _, log = driver.run("stop", name)
        assert code == 0 and "docker_stop_refused" in log
        assert inspect(name)["State"]["Running"]


@pytest.mark.parametrize("name", ["bad name", "../x", "a/b", "-dash", "x" * 64, "a?force=1", ""])
def test_invalid_names_never_reach_the_daemon(driver, name):
    code, result, _ = driver.run("start", "--", name, 1)
    assert code == 1 and "is not a valid container name" in result["error"]
    assert labelled(driver.instance) == []


def test_name_conflict_is_a_clear_error(driver):
    driver.ok("start", "twice", 7)
    code, result, log = driver.run("start", "twice", 8)
    assert code == 1 and result["error"] == "a container named 'twice' already exists"
    assert "docker_start_failed" in log
    assert labelled(driver.instance) == ["twice"]


def test_missing_image_is_a_clear_error(driver):
    code, result, _ = driver.run("start", "noimage", 1, image="ringlb-missing-image:none")
    assert code == 1
    assert "No such image: ringlb-missing-image:none" in result["error"]
    assert "make images" in result["error"]
    assert containers("name=noimage") == []


def test_daemon_down_is_a_clear_error_not_a_hang(driver):
    started = time.monotonic()
    code, result, _ = driver.run("start", "x1", 1, socket_path="/nonexistent/docker.sock", timeout=10)
    assert code == 1 and "Docker daemon not reachable at /nonexistent/docker.sock" in result["error"]
    assert time.monotonic() - started < 5


def test_silent_daemon_times_out(driver):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "silent.sock")
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(path)
        listener.listen(8)
        try:
            started = time.monotonic()
            code, result, _ = driver.run("start", "x1", 1, socket_path=path, timeout_ms=500, timeout=10)
            assert code == 1 and "did not answer in time" in result["error"]
            assert time.monotonic() - started < 5
        finally:
            listener.close()


def test_a_killed_replica_is_reported_at_once(driver):
    driver.ok("start", "victim", 9)
    watcher = subprocess.Popen(driver.args("watch", 20), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(watcher.stdout), daemon=True)
    reader.start()
    try:
        wait_until(lambda: any("watching" in line for line in lines), 10, what="the watcher to list")
        killed = time.monotonic()
        docker("kill", "victim")
        wait_until(lambda: any(json.loads(line).get("exited") == "victim" for line in lines), 3,
                   what="the exit report")
        assert time.monotonic() - killed < 3
    finally:
        watcher.kill()
        watcher.wait()
