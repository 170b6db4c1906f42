#!/usr/bin/python3
"""Large bodies and WebSockets through ringlb, nginx and HAProxy, in front of the same three
aiohttp replicas (tests/integration/replicas/stream_aiohttp.py, started by ringlb), in one run.

    bench/proxy/streams.py [--gib 1] [--transfers 32] [--websockets 1000] [--echo-seconds 5]

Prints, per proxy: download throughput (curl, --gib GiB, Content-Length and chunked), resident
memory per concurrent streaming transfer (--transfers downloads that clients read slowly), memory
per idle WebSocket tunnel (--websockets of them), and echo round trips per second over one
WebSocket; then ringlb's ratio to the best peer. nginx streams (proxy_buffering off,
streams_nginx.conf.in); HAProxy streams by itself. --quick: small sizes, checks the harness."""

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import time

import aiohttp

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import benchlib  # noqa: E402
import compare  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
REPLICA = f"/usr/bin/python3 {ROOT}/tests/integration/replicas/stream_aiohttp.py"
MiB = 1024 * 1024


def rss_kib(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return total


def download_mib_s(port, size, framing):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{speed_download}",
                          "-H", "X-Request-Id: bench", f"http://127.0.0.1:{port}/download?bytes={size}&framing={framing}"],
                         capture_output=True, text=True, timeout=600, check=True).stdout.split()
    assert out[0] == "200" and int(out[1]) == size, out
    return float(out[2]) / MiB


async def slow_transfers(port, pids, count, size):
    """Starts `count` downloads that read 64 KiB every 50 ms; the RSS growth per transfer while all run."""
    before = rss_kib(pids)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600),
                                     connector=aiohttp.TCPConnector(limit=0)) as session:
        started = asyncio.Event()
        responses = []

        async def one(i):
            async with session.get(f"http://127.0.0.1:{port}/download?bytes={size}",
                                   headers={"X-Request-Id": f"slow-{i}"}) as response:
                responses.append(response)
                if len(responses) == count:
                    started.set()
                while await response.content.read(64 * 1024):
                    await asyncio.sleep(0.05)
        tasks = [asyncio.create_task(one(i)) for i in range(count)]
        await asyncio.wait_for(started.wait(), 60)
        await asyncio.sleep(2)  # buffers fill up to what each proxy holds
        during = rss_kib(pids)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return max(during - before, 0) / count


async def websockets(port, pids, count, echo_seconds):
    """(KiB per idle tunnel, echo round trips per second over one tunnel)."""
    before = rss_kib(pids)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        sockets = []
        try:
            for i in range(count):
                sockets.append(await session.ws_connect(f"http://127.0.0.1:{port}/ws", headers={"X-Request-Id": f"ws-{i}"}))
            await asyncio.sleep(1)
            per_tunnel = max(rss_kib(pids) - before, 0) / count
            ws, trips = sockets[0], 0
            deadline = time.monotonic() + echo_seconds
            while time.monotonic() < deadline:
                await ws.send_str("ping")
                assert (await ws.receive()).data == "ping"
                trips += 1
            return per_tunnel, trips / echo_seconds
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def measure(port, pids, args):
    size = int(args.gib * 1024 * MiB)
    download_mib_s(port, MiB, "length")  # the replica's and the proxy's first answer, not measured
    return {
        "download MiB/s (length)": download_mib_s(port, size, "length"),
        "download MiB/s (chunked)": download_mib_s(port, size, "chunked"),
        "KiB per slow transfer": asyncio.run(slow_transfers(port, pids, args.transfers, 64 * MiB)),
        **dict(zip(("KiB per idle WebSocket", "WebSocket echoes/s"),
                   asyncio.run(websockets(port, pids, args.websockets, args.echo_seconds)))),
    }


def nginx_config(port, addresses):
    with open(os.path.join(HERE, "streams_nginx.conf.in")) as f:
        template = f.read()
    servers = "\n".join(f"        server {a};" for a in addresses)
    return template.replace("@PORT@", str(port)).replace("@SERVERS@", servers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--transfers", type=int, default=32)
    parser.add_argument("--websockets", type=int, default=1000)
    parser.add_argument("--echo-seconds", type=float, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.gib, args.transfers, args.websockets, args.echo_seconds = 1 / 64, 4, 20, 0.5
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    port = benchlib.free_port()
    ringlb, addresses = compare.start_ringlb(1, port, extra_args=["--replica-command", REPLICA,
                                                                   "--max-connections", "8000"],
                                          ready_timeout=60)
    results = {}
    try:
        results["ringlb"] = measure(port, [ringlb.proc.pid], args)
        nginx_port = benchlib.free_port()
        with benchlib.nginx(nginx_config(nginx_port, addresses), nginx_port, 1) as nginx:
            time.sleep(0.2)
            results["nginx"] = measure(nginx_port, [nginx.proc.pid, *children(nginx.proc.pid)], args)
        haproxy_port = benchlib.free_port()
        with compare.start_haproxy(haproxy_port, addresses, 1, maxconn=8000) as haproxy:
            results["haproxy"] = measure(haproxy_port, [haproxy.proc.pid], args)
    finally:
        ringlb.stop()
    names = list(results["ringlb"])
    print(f"{'':<26}" + "".join(f"{p:>12}" for p in results))
    for name in names:
        print(f"{name:<26}" + "".join(f"{results[p][name]:>12.1f}" for p in results))
    for name in names:
        higher_better = "/s" in name
        peers = [results[p][name] for p in ("nginx", "haproxy")]
        best = max(peers) if higher_better else min(peers)
        ratio = results["ringlb"][name] / best if best else float("nan")
        print(f"ringlb / best peer, {name}: x{ratio:.2f} ({'higher' if higher_better else 'lower'} is better)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
