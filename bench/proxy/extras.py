#!/usr/bin/python3
"""The proxy benchmark's other measurements, for ringlb, nginx and HAProxy in front of the same
three ringlb-server replicas, in one run:

  - syscalls and CPU time per proxied request: every syscall the proxy's processes and threads
    make while wrk drives it for a fixed time (perf's raw_syscalls:sys_enter counter; strace -c
    without perf), and their user and system CPU time, divided by the requests wrk completed;
    beside it, the CPU time the three replicas spent per request in the same run (what the
    proxy's way of talking to them costs them);
  - resident memory per idle keep-alive client connection: the proxy's RSS (all its processes)
    before and after a client opens N connections, sends one request on each and then holds them;
  - the assignment's 10 000 async requests: `ringlb-load run` against each proxy, wall time.

    bench/proxy/extras.py [--threads 1] [--idle-connections N] [--seconds 5] [--repeats 3]
                          [--quick] [--json FILE] [--syscall-breakdown]

All on 127.0.0.1, each step bounded in time; every process started here is stopped on exit."""

import argparse
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402
import compare  # noqa: E402

PROXIES = ("ringlb", "nginx", "haproxy")
REQUEST = b"GET /home HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: %d\r\n\r\n"


def fd_limit():
    """Raises this process's open-file limit to its hard limit; returns that limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def default_idle_connections():
    # HAProxy reserves two descriptors per connection (one towards the server) and refuses a
    # maxconn it cannot back, so under a hard limit of 20 000 it holds at most about 9 990.
    # Every contender gets the same count: the most HAProxy accepts, at most 10 000.
    return min(10_000, (fd_limit() - 100) // 2)


def process_tree(pid):
    """`pid` and its children (nginx's workers, ringlb's replicas), one level deep, as a list of
    pids. Each thread lists the children it started: ringlb starts replicas from its control
    thread."""
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def rss_kib(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))
    return total


class IdleClients:
    """N keep-alive connections to 127.0.0.1:port, each with one request answered, then held
    open and silent until close()."""

    def __init__(self, port, count, timeout=60.0, batch=256):
        self.sockets = []
        selector = selectors.DefaultSelector()
        deadline = time.monotonic() + timeout
        pending = 0
        try:
            for start in range(0, count, batch):
                for i in range(start, min(start + batch, count)):
                    s = socket.socket()
                    self.sockets.append(s)
                    s.setblocking(False)
                    s.connect_ex(("127.0.0.1", port))
                    selector.register(s, selectors.EVENT_WRITE, {"id": 100000 + i, "got": b""})
                    pending += 1
                # Each batch is answered before the next one connects, so no listen backlog
                # overflows and no connection waits on a SYN retry.
                while pending > 0:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"idle clients: {pending} connections unanswered after {timeout} s")
                    for key, events in selector.select(timeout=1.0):
                        pending -= self._step(selector, key, events)
        except BaseException:
            self.close()
            raise
        finally:
            selector.close()

    @staticmethod
    def _step(selector, key, events):
        """Advances one connection; returns 1 when its answer is complete."""
        s, state = key.fileobj, key.data
        if events & selectors.EVENT_WRITE:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise RuntimeError(f"idle clients: connect failed: {os.strerror(err)}")
            s.send(REQUEST % state["id"])  # a few dozen bytes into an empty send buffer
            selector.modify(s, selectors.EVENT_READ, state)
            return 0
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("idle clients: the proxy closed a connection")
        state["got"] += chunk
        head, sep, body = state["got"].partition(b"\r\n\r\n")
        if not sep:
            return 0
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"idle clients: unexpected answer {head[:40]!r}")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if length and len(body) < int(length.group(1)):
            return 0
        selector.unregister(s)
        return 1

    def close(self):
        for s in self.sockets:
            s.close()
        self.sockets = []


def idle_memory(port, pids, count):
    """KiB of the proxy's RSS per idle keep-alive connection, and the total with them open."""
    before = rss_kib(pids)
    clients = IdleClients(port, count)
    try:
        time.sleep(1.0)  # let every answer's buffers be released, as they would be while idle
        after = rss_kib(pids)
    finally:
        clients.close()
    return {"rss_before_kib": before, "rss_idle_kib": after, "kib_per_connection": (after - before) / count}


def strace_total(table):
    """The calls column of the `total` line of strace -c's table."""
    total = next(line for line in table.splitlines() if line.rstrip().endswith(" total"))
    return int(total.split()[3])


def count_syscalls(pids, run):
    """Runs `run()` while counting the syscalls of `pids` (and all their threads); returns
    (syscalls, run's result). perf counts in the kernel at little cost; strace -c, the fallback,
    stops the proxy at every syscall, so its counts come from a slower proxy."""
    if shutil.which("perf"):
        args = ["perf", "stat", "-x", ",", "-e", "raw_syscalls:sys_enter", "-p", ",".join(map(str, pids))]
        parse = lambda err: int(next(line for line in err.splitlines() if "raw_syscalls" in line).split(",")[0])
    else:
        args = ["strace", "-c", "-f", "-q"] + [a for pid in pids for a in ("-p", str(pid))]
        parse = strace_total
    tracer = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)  # attached before the load starts
        result = run()
    finally:
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=30)
    return parse(err), result


def syscall_breakdown(pids, url, seconds):
    """strace -c's table for one short wrk run: which syscalls the proxy makes, for RESULTS.md."""
    args = ["strace", "-c", "-f", "-q"] + [a for pid in pids for a in ("-p", str(pid))]
    tracer = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        requests = wrk_requests(url, seconds)
    finally:
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=30)
    return requests, err


def wrk_requests(url, seconds):
    """Drives `url` like compare.py does; returns the number of requests completed."""
    args = ["wrk", "-t", "1", "-c", "64", "-d", f"{seconds}s", "-s", compare.SCRIPT, url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    if re.search(r"Non-2xx|Socket errors", out):
        raise RuntimeError(f"wrk saw errors against {url}:\n{out}")
    return int(re.search(r"(\d+) requests in", out).group(1))


def cpu_seconds(pids):
    """User and system CPU time used so far by `pids`, all their threads included."""
    ticks = os.sysconf("SC_CLK_TCK")
    user = system = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        user += int(fields[11]) / ticks  # utime and stime: fields 14 and 15 of proc(5)
        system += int(fields[12]) / ticks
    return user, system


def syscalls_per_request(url, pids, replica_pids, seconds):
    """Syscalls and CPU time per request over one wrk run of `seconds`; also the CPU time the
    replicas behind the proxy spent per request in the same run."""
    benchlib.wrk(url, 1, script=compare.SCRIPT)  # warm: pools filled, allocator settled
    user0, system0 = cpu_seconds(pids)
    replicas0 = sum(cpu_seconds(replica_pids))
    syscalls, requests = count_syscalls(pids, lambda: wrk_requests(url, seconds))
    user1, system1 = cpu_seconds(pids)
    replicas1 = sum(cpu_seconds(replica_pids))
    return {"syscalls": syscalls, "requests": requests, "per_request": syscalls / requests,
            "user_us_per_request": (user1 - user0) * 1e6 / requests,
            "system_us_per_request": (system1 - system0) * 1e6 / requests,
            "replica_us_per_request": (replicas1 - replicas0) * 1e6 / requests}


def load_run(url, requests, repeats):
    """The assignment's experiment: `requests` async requests through the proxy; median seconds."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([os.path.join(benchlib.BIN_DIR, "ringlb-load"), "run", "--url", url,
                              "--requests", str(requests), "--concurrency", "64", "--json", "--quiet",
                              "--max-seconds", "60"],
                             capture_output=True, text=True, timeout=90, check=True).stdout
        report = json.loads(out)
        if report["failed"] or report["succeeded"] != requests:
            raise RuntimeError(f"ringlb-load: {report['failed']} of {requests} requests failed against {url}")
        runs.append(report["elapsed_seconds"])
    return {"requests": requests, "seconds": statistics.median(runs)}


def measure(name, port, pids, replica_pids, args):
    url = f"http://127.0.0.1:{port}/home"
    # Memory first, while the process is fresh: later load would leave freed heap that the idle
    # connections could reuse, hiding part of their cost.
    result = {"memory": idle_memory(port, pids, args.idle_connections)}
    result["syscalls"] = syscalls_per_request(url, pids, replica_pids, args.seconds)
    result["load"] = load_run(url, args.load_requests, args.repeats)
    if args.syscall_breakdown:
        requests, table = syscall_breakdown(pids, url, args.seconds)
        print(f"--- {name}: strace -c over {requests} requests\n{table}", file=sys.stderr)
    return result


def run_contenders(args):
    results = {}
    port = benchlib.free_port()
    # ringlb's own cap on client connections must not cut the idle clients short.
    ringlb, addresses = compare.start_ringlb(
        args.threads, port, env={"RINGLB_MAX_CONNECTIONS": str(args.idle_connections + 1000)})
    try:
        # The three ringlb-server processes: each supervisor's child.
        replicas = [p for supervisor in process_tree(ringlb.proc.pid)[1:] for p in process_tree(supervisor)[1:]]
        results["ringlb"] = measure("ringlb", port, [ringlb.proc.pid], replicas, args)
        nginx_port = benchlib.free_port()
        with benchlib.nginx(compare.nginx_config(nginx_port, addresses), nginx_port, args.threads) as nginx:
            time.sleep(0.2)  # the master forks its workers after it listens
            results["nginx"] = measure("nginx", nginx_port, process_tree(nginx.proc.pid), replicas, args)
        haproxy_port = benchlib.free_port()
        with compare.start_haproxy(haproxy_port, addresses, args.threads,
                                   maxconn=args.idle_connections + 16) as haproxy:
            results["haproxy"] = measure("haproxy", haproxy_port, [haproxy.proc.pid], replicas, args)
    finally:
        ringlb.stop()
    return results


def print_table(results, args):
    print(f"\nextras, {args.threads} thread(s); ratios are ringlb / the best peer (lower is better)")
    print(f"{'proxy':<8} {'syscalls/req':>12} {'CPU us/req':>10} {'(user+sys)':>11} {'replicas us/req':>15} "
          f"{'KiB/idle conn':>14} {'RSS idle MiB':>13} {f'{args.load_requests} req s':>12}")
    for name in PROXIES:
        r = results[name]
        s = r["syscalls"]
        cpu = s["user_us_per_request"] + s["system_us_per_request"]
        split = f"{s['user_us_per_request']:.1f}+{s['system_us_per_request']:.1f}"
        print(f"{name:<8} {s['per_request']:>12.2f} {cpu:>10.1f} {split:>11} {s['replica_us_per_request']:>15.1f} "
              f"{r['memory']['kib_per_connection']:>14.2f} {r['memory']['rss_idle_kib'] / 1024:>13.1f} "
              f"{r['load']['seconds']:>12.3f}")
    ratios = {}
    for label, pick in (("syscalls/req", lambda r: r["syscalls"]["per_request"]),
                        ("CPU us/req", lambda r: r["syscalls"]["user_us_per_request"]
                         + r["syscalls"]["system_us_per_request"]),
                        ("replicas us/req", lambda r: r["syscalls"]["replica_us_per_request"]),
                        ("KiB/idle conn", lambda r: r["memory"]["kib_per_connection"]),
                        (f"{args.load_requests} req s", lambda r: r["load"]["seconds"])):
        best = min(("nginx", "haproxy"), key=lambda n: pick(results[n]))
        if pick(results[best]) <= 0:
            # CPU time is counted in clock ticks: a short run on a busy machine can show none.
            print(f"ringlb / best peer ({best}) {label}: n/a (the peer measured 0)")
            continue
        ratios[label] = pick(results["ringlb"]) / pick(results[best])
        print(f"ringlb / best peer ({best}) {label}: x{ratios[label]:.2f}")
    return ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--idle-connections", type=int, default=None,
                        help="idle client connections (default: 10 000, or what the fd limit allows)")
    parser.add_argument("--seconds", type=int, default=5, help="wrk run over which syscalls are counted")
    parser.add_argument("--load-requests", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3, help="ringlb-load runs; the median is kept")
    parser.add_argument("--syscall-breakdown", action="store_true",
                        help="also print strace -c's per-syscall table for each proxy (on stderr)")
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds in all: checks the harness")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    limit = fd_limit()
    if args.idle_connections is None:
        args.idle_connections = default_idle_connections()
    if args.quick:
        args.idle_connections, args.seconds, args.load_requests, args.repeats = 200, 1, 1000, 1
    if args.idle_connections + 100 > limit:
        parser.error(f"--idle-connections {args.idle_connections} needs more than the fd limit {limit}")
    print(f"idle connections: {args.idle_connections} (fd hard limit {limit})")
    results = run_contenders(args)
    ratios = print_table(results, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "idle_connections": args.idle_connections,
                       "results": results, "ratios": ratios}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
