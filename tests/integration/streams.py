"""Large bodies without holding them: a deterministic byte pattern that any offset of a stream can
be made or checked from, and a sampler of a process's resident memory while a transfer runs.

Only the standard library, so that the streaming replica (replicas/stream_aiohttp.py) makes its
bodies with the same pattern the tests check them against, and the benchmark can reuse both."""

import hashlib
import os
import threading
import time

# The pattern repeats every PERIOD bytes. A prime period is never a multiple of a piece size
# (64 KiB writes, whatever the sockets deliver), so a piece lost, repeated or moved shows as a
# mismatch at once instead of lining up with the pattern again.
PERIOD = 65537
_BLOCK = hashlib.shake_128(b"ringlb stream pattern").digest(PERIOD)
# Twice the block: any slice of up to PERIOD bytes starting anywhere in the period is contiguous.
_TWICE = _BLOCK + _BLOCK
PIECE = 64 * 1024
MiB = 1024 * 1024


def pattern(offset, length):
    """The `length` bytes of the pattern from stream offset `offset`."""
    parts = []
    while length > 0:
        start = offset % PERIOD
        take = min(length, PERIOD)
        parts.append(_TWICE[start:start + take])
        offset += take
        length -= take
    return parts[0] if len(parts) == 1 else b"".join(parts)


def pattern_pieces(total, piece=PIECE):
    """The first `total` bytes of the pattern, made on the fly in pieces of `piece` bytes."""
    offset = 0
    while offset < total:
        size = min(piece, total - offset)
        yield pattern(offset, size)
        offset += size


class PatternChecker:
    """Checks a stream piece by piece against the pattern, holding nothing but a count.

    feed() takes the pieces in order as they arrive; `mismatch_at` is the stream offset of the
    first piece that differs (None while all matched). `sha256` hashes what was fed, for a
    comparison with a digest the other end computed."""

    def __init__(self, hash_it=False):
        self.count = 0
        self.mismatch_at = None
        self._hash = hashlib.sha256() if hash_it else None

    def feed(self, data):
        if self._hash is not None:
            self._hash.update(data)
        if self.mismatch_at is None and data != pattern(self.count, len(data)):
            self.mismatch_at = self.count
        self.count += len(data)

    @property
    def sha256(self):
        return self._hash.hexdigest() if self._hash is not None else None

    def verify(self, expected_bytes):
        """Raises AssertionError unless exactly `expected_bytes` bytes of the pattern were fed."""
        assert self.mismatch_at is None, f"the stream differs from the pattern at byte {self.mismatch_at}"
        assert self.count == expected_bytes, f"got {self.count} bytes of {expected_bytes}"


class HashingPieces:
    """An iterable of the first `total` bytes of the pattern that hashes what it hands out, for an
    upload whose digest the receiver reports back (`sha256` once fully iterated)."""

    def __init__(self, total, piece=PIECE):
        self.total = total
        self.piece = piece
        self.sent = 0
        self._hash = hashlib.sha256()

    def __iter__(self):
        for data in pattern_pieces(self.total, self.piece):
            self._hash.update(data)
            self.sent += len(data)
            yield data

    @property
    def sha256(self):
        return self._hash.hexdigest()


class PatternFile:
    """A read-only file of the pattern, `total` bytes long, made as it is read: HTTP clients send
    it with a Content-Length (from len()) instead of chunked encoding."""

    def __init__(self, total):
        self.total = total
        self.offset = 0
        self._hash = hashlib.sha256()

    def __len__(self):
        return self.total - self.offset

    def read(self, size=-1):
        left = self.total - self.offset
        size = left if size is None or size < 0 else min(size, left)
        data = pattern(self.offset, size) if size else b""
        self._hash.update(data)
        self.offset += size
        return data

    @property
    def sha256(self):
        return self._hash.hexdigest()


def pattern_sha256(total):
    """The sha256 of the first `total` bytes of the pattern."""
    digest = hashlib.sha256()
    for data in pattern_pieces(total, PERIOD):
        digest.update(data)
    return digest.hexdigest()


def resident_bytes(pid):
    """VmRSS of a live process, in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class MemorySampler:
    """Samples a process's VmRSS every `interval` seconds between __enter__ and __exit__.

    `baseline` is the first sample, taken on entry (before the transfer starts); `peak` the
    highest seen, the final sample included. A process that disappears stops the sampling and is
    reported by check()."""

    def __init__(self, pid, interval=0.1):
        self.pid = pid
        self.interval = interval
        self.baseline = None
        self.peak = None
        self.samples = 0
        self.lost = None
        self._stop = threading.Event()
        self._thread = None

    def _sample(self):
        try:
            value = resident_bytes(self.pid)
        except (OSError, RuntimeError) as error:  # the process ended: stop and say so
            self.lost = error
            return False
        self.peak = value if self.peak is None else max(self.peak, value)
        self.samples += 1
        return True

    def _run(self):
        while not self._stop.wait(self.interval):
            if not self._sample():
                return

    def __enter__(self):
        self.baseline = resident_bytes(self.pid)
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        if self.lost is None:
            self._sample()
        return False

    @property
    def growth(self):
        return self.peak - self.baseline

    def check(self, limit_bytes):
        """Raises AssertionError when the peak rose more than `limit_bytes` above the baseline. Under a
        sanitizer (RINGLB_SANITIZER set), whose runtime keeps freed memory in quarantine, resident size
        says nothing about ringlb's own buffers: the test is then reported skipped, after everything
        else it checks has passed."""
        assert self.lost is None, f"process {self.pid} went away while sampled: {self.lost}"
        if os.environ.get("RINGLB_SANITIZER"):
            import pytest  # only here: the benchmark uses this module without pytest
            pytest.skip(f"memory bound not measurable under {os.environ['RINGLB_SANITIZER']} sanitizer "
                        f"(rose {self.growth / MiB:.1f} MiB); the transfer itself was checked")
        assert self.growth <= limit_bytes, (
            f"VmRSS of {self.pid} rose by {self.growth / MiB:.1f} MiB (from {self.baseline / MiB:.1f} to "
            f"{self.peak / MiB:.1f} MiB over {self.samples} samples), more than {limit_bytes / MiB:.1f} MiB")


def wait_quiet(pid, settle=0.5, timeout=10.0, tolerance=256 * 1024):
    """Waits until a process's VmRSS stops moving (two samples `settle` s apart within
    `tolerance`), so a baseline is not taken in the middle of start-up work; gives up after
    `timeout` seconds and returns the last value either way."""
    deadline = time.monotonic() + timeout
    last = resident_bytes(pid)
    while time.monotonic() < deadline:
        time.sleep(settle)
        now = resident_bytes(pid)
        if abs(now - last) <= tolerance:
            return now
        last = now
    return last
