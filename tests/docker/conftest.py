"""Docker tests need a running engine. Without one they skip the whole run (exit 77, which ctest
reports as skipped) with a message saying how to get one; under CI=true that is a failure, since
.ci/run provisions the engine."""

import os

import pytest

from dockerlib import engine_version

NO_ENGINE = 77


def pytest_sessionstart(session):
    if engine_version() is not None:
        return
    message = "no Docker engine answers on this machine (scripts/docker-engine installs and starts one)"
    if os.environ.get("CI") == "true":
        pytest.exit(f"FAILED: CI=true and {message}; the docker tests must run in CI", returncode=1)
    pytest.exit(f"SKIPPED: {message}", returncode=NO_ENGINE)
