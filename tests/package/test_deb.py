"""ringlb's .deb on this machine: it installs, its programs answer, lintian finds no error,
systemd accepts the unit, the service's settings file drives ringlb, and removal and purge leave
none of its files (nor its account or state) behind. The package is purged at the end even when
a test fails.

The .deb is RINGLB_DEB when set, otherwise made here by cpack from RINGLB_BUILD_DIR (its
programs and man pages are built by `make test`'s build)."""

import gzip
import json
import os
import pwd
import re
import select
import signal
import subprocess
import tempfile
import time
import urllib.request

import pytest

from debian import dpkg, environment_file, exec_start_argv, installed, run, set_variables, unit_settings

BUILD_DIR = os.environ.get("RINGLB_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
VERSION = os.environ.get("RINGLB_VERSION", "")
UNIT = "/lib/systemd/system/ringlb.service"
DEFAULTS = "/etc/default/ringlb"
STATE_DIR = "/var/lib/ringlb"
PROGRAMS = ("ringlb", "ringlb-server", "ringlb-load")


def make_deb(out_dir):
    config = os.path.join(BUILD_DIR, "CPackConfig.cmake")
    result = run("cpack", "--config", config, "-B", out_dir, check=False)
    assert result.returncode == 0, f"cpack failed:\n{result.stdout}{result.stderr}"
    debs = [name for name in os.listdir(out_dir) if name.endswith(".deb")]
    assert len(debs) == 1, debs
    return os.path.join(out_dir, debs[0])


def purge():
    if installed("ringlb") or run("dpkg-query", "-W", "ringlb", check=False).returncode == 0:
        dpkg("-P", "ringlb", check=False)


@pytest.fixture(scope="module")
def deb():
    assert not installed("ringlb"), "ringlb is already installed here; the test would replace it"
    with tempfile.TemporaryDirectory(prefix="ringlb-deb-") as out_dir:
        yield os.environ.get("RINGLB_DEB") or make_deb(out_dir)


@pytest.fixture(scope="module")
def package(deb):
    try:
        dpkg("-i", deb)
        yield {"deb": deb, "files": run("dpkg", "-L", "ringlb").stdout.split("\n")}
    finally:
        purge()


def test_programs_print_version_commit_and_build_type(package):
    for program in PROGRAMS:
        out = run(f"/usr/bin/{program}", "--version").stdout.splitlines()
        assert re.fullmatch(rf"{program} {re.escape(VERSION)}", out[0]), out
        assert re.fullmatch(r"commit ([0-9a-f]{7,40}(-dirty)?|unknown)", out[1]), out
        assert re.fullmatch(r"build type \S+", out[2]), out


def test_control_fields_name_the_runtime_libraries_only(package):
    fields = run("dpkg-deb", "-f", package["deb"], "Package", "Version", "Depends").stdout
    assert f"Version: {VERSION}\n" in fields
    depends = fields.split("Depends:", 1)[1]
    for needed in ("adduser", "libc6", "libstdc++6", "libboost-json1.81.0", "libjemalloc2"):
        assert needed in depends, depends
    assert "-dev" not in depends, depends


def test_man_pages_document_the_flags(package):
    for program in PROGRAMS:
        path = f"/usr/share/man/man1/{program}.1.gz"
        assert path in package["files"]
        with gzip.open(path, "rt") as page:
            text = page.read()
        assert f'.TH {program.upper()} "1"' in text
        assert "/ringlb/build" not in text and "bin/" + program not in text, "a build path leaked"
    with gzip.open("/usr/share/man/man1/ringlb.1.gz", "rt") as page:
        assert "state\\-dir" in page.read()


def test_docs_licence_and_notices_are_installed(package):
    for name in ("README.md", "CHANGELOG.md", "LICENSE", "NOTICE", "THIRD_PARTY_NOTICES", "copyright",
                 "changelog.gz", "docs/architecture.md", "docs/packaging.md"):
        assert os.path.isfile(f"/usr/share/doc/ringlb/{name}"), name


def test_postinst_creates_a_system_account(package):
    account = pwd.getpwnam("ringlb")
    assert account.pw_uid < 1000
    assert account.pw_dir == STATE_DIR
    assert account.pw_shell.endswith("nologin")


def test_unit_is_hardened_and_systemd_accepts_it(package):
    settings = unit_settings(UNIT)
    for name, value in {"User": "ringlb", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
                        "StateDirectory": "ringlb", "Restart": "on-failure"}.items():
        assert settings.get(name) == [value], (name, settings.get(name))
    assert exec_start_argv(settings["ExecStart"][0])[1:] == ["--state-dir", STATE_DIR]
    result = run("systemd-analyze", "verify", UNIT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ringlb.service" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_settings_file_lists_every_flag(package):
    help_text = run("/usr/bin/ringlb", "--help").stdout
    variables = set(re.findall(r"\(Env:(RINGLB_[A-Z_]+)\)", help_text))
    assert len(variables) > 40
    with open(DEFAULTS) as text:
        listed = set(re.findall(r"^#?(RINGLB_[A-Z_]+)=", text.read(), re.M))
    assert variables == listed
    assert os.stat(DEFAULTS).st_mode & 0o007 == 0, "the settings may hold the admin token"


def read_port(proc, timeout=20.0):
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            seen += chunk
            match = re.search(rb"listening on (\S+):(\d+)", seen)
            if match:
                return int(match.group(2))
    raise AssertionError(f"ringlb did not announce its port; stdout: {seen!r}")


def test_service_settings_drive_ringlb(package):
    """What ringlb.service does, by hand: its EnvironmentFile and ExecStart, as its user, in the
    state directory systemd would make. Port 0 in the settings: the kernel picks a free one."""
    settings = unit_settings(UNIT)
    env_file = settings["EnvironmentFile"][0].lstrip("-")
    set_variables(env_file, {"RINGLB_HOST": "127.0.0.1", "RINGLB_PORT": "0", "RINGLB_REPLICAS": "2"})
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **environment_file(env_file)}
    account = pwd.getpwnam(settings["User"][0])
    os.makedirs(STATE_DIR, mode=0o750, exist_ok=True)
    os.chown(STATE_DIR, account.pw_uid, account.pw_gid)
    proc = subprocess.Popen(exec_start_argv(settings["ExecStart"][0]), env=env, cwd="/",
                            user=account.pw_uid, group=account.pw_gid, extra_groups=[],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        port = read_port(proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/rep", timeout=10) as answer:
            body = json.loads(answer.read())
        assert body == {"message": {"N": 2, "replicas": ["server-1", "server-2"]}, "status": "successful"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            metrics = answer.read().decode()
        assert re.search(rf'^ringlb_build_info{{version="{re.escape(VERSION)}",commit="[^"]+",'
                         r'build_type="[^"]+"} 1$', metrics, re.M), metrics
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0
    assert os.path.isfile(os.path.join(STATE_DIR, "state.json")), "--state-dir from ExecStart was not used"


# The one warning ringlb's package means to have: its settings file may hold the admin token, so
# only root and the ringlb group may read it.
EXPECTED_LINTIAN_WARNINGS = {"W: ringlb: non-standard-file-perm 0640 != 0644 [etc/default/ringlb]"}


def test_lintian_reports_no_error_and_no_unexpected_warning(package):
    result = run("lintian", "--tag-display-limit", "0", package["deb"], check=False)
    print(result.stdout)
    lines = result.stdout.splitlines()
    errors = [line for line in lines if line.startswith("E:")]
    assert not errors, result.stdout + result.stderr
    warnings = {line for line in lines if line.startswith("W:")}
    assert warnings <= EXPECTED_LINTIAN_WARNINGS, result.stdout


def test_remove_then_purge_leave_nothing_behind(package):
    files = [path for path in package["files"] if path and path != "/."]
    dpkg("-r", "ringlb")
    left = [path for path in files if os.path.isfile(path)]
    assert left == [DEFAULTS], left
    dpkg("-P", "ringlb")
    left = [path for path in files if os.path.lexists(path) and not owned_by_others(path)]
    assert left == [], left
    assert not os.path.lexists(STATE_DIR)
    assert run("getent", "passwd", "ringlb", check=False).returncode != 0
    assert run("getent", "group", "ringlb", check=False).returncode != 0


def owned_by_others(path):
    """Directories such as /usr/bin stay: other packages (or the system) own them."""
    return os.path.isdir(path) and run("dpkg-query", "-S", path, check=False).returncode == 0 or path in (
        "/etc", "/etc/default", "/lib", "/lib/systemd", "/lib/systemd/system", "/usr", "/usr/bin",
        "/usr/share", "/usr/share/doc", "/usr/share/man", "/usr/share/man/man1")
