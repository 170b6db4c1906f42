"""The compose stack (`make up`) against a real engine: the contract's contract on 127.0.0.1:5000 with
replicas that are real containers, their replacement, adoption by a restarted load balancer, and
`make down` leaving nothing behind. The tests run in file order on one stack; the last one takes
it down (and teardown does too, whatever happened)."""

import os
import threading
import time

import pytest
import requests

from dockerlib import (COMPOSE_INSTANCE, COMPOSE_NETWORK, COMPOSE_PROJECT, LB_CONTAINER, LB_URL, REPO,
                       containers, docker, inspect, labelled, make, network_exists)
from ringlb_procs import wait_until

# the contract's failure handling: a killed replica is replaced within this long.
REPLACEMENT_DEADLINE = 3.0


def rep():
    response = requests.get(f"{LB_URL}/rep", timeout=5)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "successful"
    return body["message"]


def wait_for_stack(replicas=3, timeout=60):
    return wait_until(lambda: (lambda m: m if m["N"] == replicas and len(m["replicas"]) == replicas else None)(rep()),
                      timeout, interval=0.2, what=f"/rep to show {replicas} replicas")


def running_replicas():
    return labelled(COMPOSE_INSTANCE, all_states=False)


@pytest.fixture(scope="module")
def stack():
    make("static")
    if not os.access(os.path.join(REPO, "build-static", "bin", "ringlb"), os.X_OK):
        pytest.skip("this tree does not build the ringlb program yet; the compose stack needs it")
    try:
        make("up")
        yield wait_for_stack()
    finally:
        make("down")


def post(path, payload, method="POST"):
    return requests.request(method, f"{LB_URL}{path}", json=payload, timeout=60)


def test_rep_lists_three_running_replica_containers(stack):
    message = rep()
    assert message["N"] == 3
    assert sorted(message["replicas"]) == running_replicas()
    for name in message["replicas"]:
        container = inspect(name)
        assert container["Config"]["Image"] == "ringlb-server:latest"
        assert COMPOSE_NETWORK in container["NetworkSettings"]["Networks"]


def test_home_is_routed_to_a_replica(stack):
    for _ in range(20):
        response = requests.get(f"{LB_URL}/home", timeout=5)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "successful" and body["message"].startswith("Hello from Server: ")


def test_unknown_path_is_the_spec_400(stack):
    response = requests.get(f"{LB_URL}/other", timeout=5)
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> \'/other\' endpoint does not exist in server replicas", '
                             '"status": "failure"}')


def test_add_and_rm_create_and_remove_real_containers(stack):
    before = rep()["replicas"]
    response = post("/add", {"n": 2, "hostnames": ["S5"]})
    assert response.status_code == 200, response.text
    message = response.json()["message"]
    assert message["N"] == 5
    assert message["replicas"][:3] == before and message["replicas"][3] == "S5"
    added = message["replicas"][3:]
    assert sorted(message["replicas"]) == running_replicas()
    assert inspect("S5")["Config"]["Labels"]["ringlb.instance"] == COMPOSE_INSTANCE

    response = post("/rm", {"n": 2, "hostnames": added}, method="DELETE")
    assert response.status_code == 200, response.text
    assert response.json()["message"] == {"N": 3, "replicas": before}
    wait_until(lambda: all(not containers(f"name=^{name}$") for name in added), 10,
               what="the removed replicas' containers to be gone")
    assert sorted(before) == running_replicas()


def test_add_and_rm_errors_are_the_spec_400s(stack):
    response = post("/add", {"n": 1, "hostnames": ["a1", "a2"]})
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> Length of hostname list is more than newly added instances", '
                             '"status": "failure"}')
    response = post("/rm", {"n": 1, "hostnames": ["a1", "a2"]}, method="DELETE")
    assert response.status_code == 400
    assert response.text == ('{"message": "<Error> Length of hostname list is more than removable instances", '
                             '"status": "failure"}')
    response = post("/add", {"n": 1, "hostnames": ["bad name"]})
    assert response.status_code == 400 and response.json()["message"].startswith("<Error> ")
    assert containers("name=bad") == []
    assert rep()["N"] == 3


def test_a_killed_replica_is_replaced_within_3s_without_failed_requests(stack):
    victim = rep()["replicas"][0]
    failures, successes = [], [0]
    stop = threading.Event()

    def traffic():
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    response = session.get(f"{LB_URL}/home", timeout=5)
                    if response.status_code == 200:
                        successes[0] += 1
                    else:
                        failures.append(f"{response.status_code} {response.text}")
                except requests.RequestException as error:
                    failures.append(repr(error))

    thread = threading.Thread(target=traffic, daemon=True)
    thread.start()
    try:
        wait_until(lambda: successes[0] >= 10, 10, what="traffic before the kill")
        killed = time.monotonic()
        docker("kill", victim)
        replaced = wait_until(lambda: (lambda m: m if victim not in m["replicas"] and len(m["replicas"]) == 3 else None)(rep()),
                              REPLACEMENT_DEADLINE + 2, what="the killed replica's replacement")
        elapsed = time.monotonic() - killed
        answered = successes[0] + len(failures)
        wait_until(lambda: successes[0] + len(failures) >= answered + 20, 10, what="traffic after the replacement")
    finally:
        stop.set()
        thread.join(10)
    assert elapsed <= REPLACEMENT_DEADLINE, f"replaced after {elapsed:.2f}s"
    assert failures == [], f"{len(failures)} failed GETs, e.g. {failures[:3]}"
    assert successes[0] > 0
    assert replaced["N"] == 3
    wait_until(lambda: not containers(f"name=^{victim}$"), 10, what="the dead container to be removed")
    assert sorted(replaced["replicas"]) == running_replicas()


def test_a_restarted_load_balancer_adopts_the_same_replicas(stack):
    before = sorted(rep()["replicas"])
    ids_before = {name: inspect(name)["Id"] for name in before}
    docker("kill", LB_CONTAINER)
    make("up")
    after = sorted(wait_for_stack()["replicas"])
    assert after == before
    assert {name: inspect(name)["Id"] for name in after} == ids_before
    assert labelled(COMPOSE_INSTANCE) == before  # none duplicated, none left over


def test_make_down_leaves_no_container_network_or_volume(stack):
    make("down")
    assert labelled(COMPOSE_INSTANCE) == []
    assert containers(f"label=com.docker.compose.project={COMPOSE_PROJECT}") == []
    assert containers(f"name=^{LB_CONTAINER}$") == []
    assert not network_exists(COMPOSE_NETWORK)
    volumes = docker("volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={COMPOSE_PROJECT}")
    assert volumes.split() == []
