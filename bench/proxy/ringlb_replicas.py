"""The replicas a ringlb started, read from its log, for benchmarks that point nginx and HAProxy
at them too.

A replica whose port is taken before it binds it (a slow starter, such as an aiohttp process on a
loaded machine, leaves a window of seconds) exits and is started again on another port, under
the same server ID. So the addresses to give the peers are each ID's latest, once every one of
them answers its heartbeat and the log has been quiet for a moment; and from then on, any
replacement means the contenders no longer share replicas."""

import re
import time
import urllib.request

import benchlib

STARTED = re.compile(r"event=replica_started name=\S+ id=(\d+) address=(\S+)")
REPLACED = re.compile(r"event=(replica_down|replica_exited|replica_replaced|replica_start_failed)\b")


def latest_addresses(log_text):
    """{server ID: address} of the latest start of each replica in a ringlb log."""
    return {int(server_id): address for server_id, address in STARTED.findall(log_text)}


def replacements(log_text):
    """The names of the events in a log (or the part of one) that say a replica went away."""
    return sorted(set(REPLACED.findall(log_text)))


def answers_heartbeat(address):
    try:
        with urllib.request.urlopen(f"http://{address}/heartbeat", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


class Replicas:
    """A ringlb's replicas: settle() waits for them, check() says whether they are still those."""

    def __init__(self, name, log_path, count=3):
        self.name, self.log_path, self.count = name, log_path, count
        self.addresses = []
        self.offset = 0

    def read(self):
        with open(self.log_path) as f:
            return f.read()

    def settle(self, timeout=90.0, quiet=1.0):
        """Waits until each of the `count` replicas' latest address answers its heartbeat and the
        log shows no new start for `quiet` seconds; returns the addresses in server ID order."""
        def settled():
            before = self.read()
            latest = latest_addresses(before)
            if len(latest) < self.count or not all(answers_heartbeat(a) for a in latest.values()):
                return None
            time.sleep(quiet)
            after = self.read()
            if latest_addresses(after) != latest:
                return None
            self.offset = len(after)
            return [latest[i] for i in sorted(latest)]
        self.addresses = benchlib.wait_until(settled, timeout, interval=0.2,
                                             what=f"{self.name}'s replicas to answer their heartbeats")
        return self.addresses

    def check(self):
        """Raises when a replica went away since settle()."""
        events = replacements(self.read()[self.offset:])
        if events:
            raise RuntimeError(f"{self.name} lost a replica ({', '.join(events)}); see {self.log_path}: "
                               "the contenders no longer share replicas")
