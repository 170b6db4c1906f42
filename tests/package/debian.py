"""Helpers for the package tests: dpkg with a wait for its lock, the installed unit's settings,
and systemd's EnvironmentFile syntax."""

import shlex
import subprocess
import time

DPKG_LOCK_WAIT = 300.0


def run(*args, check=True, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, check=check, env=env)


def dpkg(*args, check=True):
    """dpkg, waiting while another dpkg or apt holds its lock (builds share this machine)."""
    deadline = time.monotonic() + DPKG_LOCK_WAIT
    while True:
        result = run("dpkg", *args, check=False)
        locked = "lock" in result.stderr and "dpkg frontend" in result.stderr or "is locked" in result.stderr
        if result.returncode == 0 or not locked or time.monotonic() > deadline:
            break
        time.sleep(1.0)
    if check and result.returncode != 0:
        raise AssertionError(f"dpkg {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def installed(package):
    result = run("dpkg-query", "-W", "-f=${Status}", package, check=False)
    return result.returncode == 0 and "installed" in result.stdout.split()


def unit_settings(path):
    """The [Service] (and other) settings of a unit file: name -> list of values in order."""
    settings = {}
    with open(path) as unit:
        for line in unit:
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            name, _, value = line.partition("=")
            settings.setdefault(name.strip(), []).append(value.strip())
    return settings


def exec_start_argv(value):
    """ExecStart's command line; its special prefixes (-, @, +, !, :) do not apply here."""
    return shlex.split(value.lstrip("-@+!:"))


def environment_file(path):
    """systemd's EnvironmentFile: VAR=value lines, # and ; comments, optional quotes."""
    env = {}
    with open(path) as text:
        for line in text:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            name, _, value = line.partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            env[name.strip()] = value
    return env


def set_variables(path, values):
    """Rewrites the VAR= lines of an EnvironmentFile (commented out or not) to the given values."""
    with open(path) as text:
        lines = text.read().splitlines()
    pending = dict(values)
    for i, line in enumerate(lines):
        name = line.lstrip("#").partition("=")[0].strip()
        if "=" in line and name in pending:
            lines[i] = f"{name}={pending.pop(name)}"
    lines += [f"{name}={value}" for name, value in pending.items()]
    with open(path, "w") as text:
        text.write("\n".join(lines) + "\n")
