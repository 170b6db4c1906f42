"""Helpers of the docker tests: the docker CLI and make (waiting is pylib/ringlb_procs.py's)."""

import json
import os
import subprocess
import sys

REPO = os.path.abspath(os.environ.get("RINGLB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")))
# What the compose stack's load balancer labels its replicas with (Makefile: RINGLB_INSTANCE).
COMPOSE_INSTANCE = "compose"
# Names of everything the compose stack itself makes (deploy/docker-compose.yml).
COMPOSE_PROJECT = "ringlb"
COMPOSE_NETWORK = "net1"
LB_CONTAINER = "ringlb"
LB_URL = "http://127.0.0.1:5000"

# The shared process helpers (pylib/ringlb_procs.py: wait_until, pid_alive, ...) for the docker tests;
# conftest.py imports this module first, so the test modules can import them directly.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pylib"))


def docker(*args, check=True, timeout=60):
    """Runs the docker CLI and returns its stdout."""
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def engine_version():
    """The engine's version, or None when no engine answers."""
    try:
        done = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"],
                              capture_output=True, text=True, timeout=20)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def containers(*filters, all_states=True):
    """Names of the containers matching every `docker ps --filter` given, e.g. "label=a=b"."""
    args = ["ps", "--format", "{{.Names}}"] + (["-a"] if all_states else [])
    for f in filters:
        args += ["--filter", f]
    return sorted(line for line in docker(*args).splitlines() if line)


def labelled(instance, all_states=True):
    return containers("label=ringlb.managed=true", f"label=ringlb.instance={instance}", all_states=all_states)


def remove_labelled(instance):
    """Force-removes every container of this load-balancer instance; for teardown."""
    ids = docker("ps", "-aq", "--filter", f"label=ringlb.instance={instance}", check=False).split()
    if ids:
        docker("rm", "-f", "-v", *ids, check=False)


def inspect(name):
    return json.loads(docker("inspect", name))[0]


def network_exists(name):
    return name in docker("network", "ls", "--format", "{{.Name}}").split()


def make(*targets, timeout=1200):
    """Runs make in the repository; raises with its output when it fails."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "-C", REPO, *targets], capture_output=True, text=True,
                          timeout=timeout, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"make {' '.join(targets)} failed ({done.returncode}):\n"
                           f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done.stdout
