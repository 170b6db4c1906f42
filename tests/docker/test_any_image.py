"""ringlb --driver docker with an image that is not ours: busybox httpd in a FROM scratch image
(tests/docker/busybox_replica/), listening on --replica-port 8080 and given GREETING=hi by
--replica-env. ringlb runs on the host (127.0.0.1, port 0) and reaches the containers by their IP
on a network of this module's own. The tests run in file order on one ringlb; teardown stops it
and removes every container, the network and the image, whatever happened."""

import os
import re
import shutil
import signal
import tempfile
import uuid

import pytest
import requests

from dockerlib import docker, inspect, labelled, network_exists, remove_labelled
from ringlb_procs import Process, binary, wait_until

BUSYBOX = "/bin/busybox"  # Debian's busybox-static: one static program, so FROM scratch works
IMAGE_FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "busybox_replica")
REPLICA_PORT = 8080
REPLICAS = 3


def build_image(tag):
    """Builds the busybox replica image from a context folder made here, under `tag`."""
    if not os.access(BUSYBOX, os.X_OK):
        pytest.fail(f"{BUSYBOX} is missing: install busybox-static (scripts/bootstrap does)")
    with tempfile.TemporaryDirectory(prefix="ringlb-busybox-") as context:
        shutil.copy(BUSYBOX, os.path.join(context, "busybox"))
        for name in ("Dockerfile", "start.sh"):
            shutil.copy(os.path.join(IMAGE_FILES, name), context)
        docker("build", "-q", "-t", tag, context, timeout=300)


class Setup:
    """This module's image, network and instance label, and the ringlb processes it starts."""

    def __init__(self):
        suffix = uuid.uuid4().hex[:8]
        self.image = f"ringlb-test-busybox:{suffix}"
        self.network = f"ringlb-any-{suffix}"
        self.instance = f"pytest-any-{suffix}"
        self.balancers = []

    def start_ringlb(self, *extra):
        lb = Process([binary("ringlb"), "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                      "--driver", "docker", "--docker-image", self.image, "--docker-network", self.network,
                      "--docker-instance", self.instance, "--replicas", str(REPLICAS),
                      "--stop-timeout", "2s", *extra], ready_timeout=120, stop_timeout=60)
        self.balancers.append(lb)
        return lb

    def cleanup(self):
        for lb in self.balancers:
            lb.stop()
        remove_labelled(self.instance)
        if network_exists(self.network):
            docker("network", "rm", self.network, check=False)
        docker("image", "rm", "-f", self.image, check=False)


@pytest.fixture(scope="module")
def setup():
    s = Setup()
    try:
        build_image(s.image)
        s.lb = s.start_ringlb("--replica-port", str(REPLICA_PORT), "--replica-env", "GREETING=hi")
        yield s
    finally:
        s.cleanup()
        assert labelled(s.instance) == [], "containers left behind"
        assert not network_exists(s.network), "network left behind"
        assert docker("images", "-q", s.image).strip() == "", "image left behind"


def rep(lb):
    response = requests.get(lb.url("/rep"), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["message"]


def wait_for_replicas(lb, without=()):
    """/rep once it lists REPLICAS replicas, none of them named in `without`."""
    return wait_until(lambda: (lambda m: m if m["N"] == REPLICAS and len(m["replicas"]) == REPLICAS
                               and not set(without) & set(m["replicas"]) else None)(rep(lb)),
                      60, interval=0.2, what=f"/rep to list {REPLICAS} replicas without {list(without)}")


def server_ids(names):
    return {name: inspect(name)["Config"]["Labels"]["ringlb.server-id"] for name in names}


def homes(lb, count=60):
    """The server IDs in `count` /home answers through ringlb, each with its own key."""
    seen = set()
    for i in range(count):
        response = requests.get(lb.url("/home"), headers={"X-Request-Id": f"key-{i}"}, timeout=10)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "successful", body
        match = re.fullmatch(r"Hello from Server: (\d+)", body["message"])
        assert match, body
        seen.add(match.group(1))
    return seen


def test_rep_lists_the_busybox_containers(setup):
    message = wait_for_replicas(setup.lb)
    assert sorted(message["replicas"]) == labelled(setup.instance, all_states=False)
    for name in message["replicas"]:
        container = inspect(name)
        assert container["Config"]["Image"] == setup.image
        assert container["Config"]["Labels"]["ringlb.replica-port"] == str(REPLICA_PORT)
        assert setup.network in container["NetworkSettings"]["Networks"]


def test_requests_through_ringlb_are_answered_by_every_replica(setup):
    names = wait_for_replicas(setup.lb)["replicas"]
    assert homes(setup.lb) == set(server_ids(names).values())


def test_the_replica_environment_reaches_the_application(setup):
    for name, server_id in server_ids(wait_for_replicas(setup.lb)["replicas"]).items():
        env = inspect(name)["Config"]["Env"]
        for entry in (f"SERVER_ID={server_id}", f"REPLICA_NAME={name}", f"PORT={REPLICA_PORT}",
                      "HOST=0.0.0.0", "GREETING=hi"):
            assert entry in env, (name, env)
    # start.sh serves GREETING from the environment it was given, so the value got that far.
    response = requests.get(setup.lb.url("/greeting"), timeout=10)
    assert (response.status_code, response.text) == (200, "hi\n")


def test_a_killed_container_is_replaced_by_a_healthy_one(setup):
    before = server_ids(wait_for_replicas(setup.lb)["replicas"])
    victim = sorted(before)[0]
    victim_id = inspect(victim)["Id"]
    docker("kill", victim_id)
    after = wait_for_replicas(setup.lb, without=[victim])
    replacement = (set(after["replicas"]) - set(before)).pop()
    assert inspect(replacement)["State"]["Running"]
    assert server_ids([replacement])[replacement] == before[victim]  # same server ID, fresh name
    assert sorted(after["replicas"]) == labelled(setup.instance, all_states=False)
    assert homes(setup.lb) == set(before.values())
    wait_until(lambda: victim_id not in docker("ps", "-aq", "--no-trunc").split(), 20,
               what="the killed container to be removed")


def test_a_restarted_ringlb_reaches_adopted_replicas_on_their_labelled_port(setup):
    names = wait_for_replicas(setup.lb)["replicas"]
    ids = {name: inspect(name)["Id"] for name in names}
    setup.lb.signal(signal.SIGKILL)  # the containers outlive it
    setup.lb.wait(10)
    # Another --replica-port: containers made now would listen on 9090, the adopted ones on 8080.
    lb = setup.start_ringlb("--replica-port", "9090")
    assert sorted(wait_for_replicas(lb)["replicas"]) == sorted(names)
    assert homes(lb) == set(server_ids(names).values())
    assert {name: inspect(name)["Id"] for name in names} == ids  # adopted, not replaced
    adopted = re.findall(r"event=replica_adopted name=(\S+) .*address=\S+:(\d+) healthy=(\d)", lb.stderr())
    assert sorted(adopted) == sorted((name, str(REPLICA_PORT), "1") for name in names)
    assert "docker_replica_started" not in lb.stderr()
