"""The package tests install the .deb on this machine, so they need root. Without it they skip
the whole run (exit 77, which ctest reports as skipped); under CI=true that is a failure, since CI
runs as root on a machine of its own."""

import os

import pytest

NOT_ROOT = 77


def pytest_sessionstart(session):
    if os.geteuid() == 0:
        return
    message = "the package tests install ringlb's .deb with dpkg and need root"
    if os.environ.get("CI") == "true":
        pytest.exit(f"FAILED: CI=true and {message}", returncode=1)
    pytest.exit(f"SKIPPED: {message}", returncode=NOT_ROOT)
