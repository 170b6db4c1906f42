#!/usr/bin/python3
"""An aiohttp replica with service times to order, for bench/proxy/workloads.py.

It follows the replica contract of docs/replicas.md (HOST, PORT and SERVER_ID from the
environment; /heartbeat; the assignment's /home), so ringlb starts it with --replica-command and
nginx and HAProxy can be pointed at the same processes. Every answer is /home's small JSON, so
ringlb-load counts answers per replica on every route.

  GET /fast                                   at once
  GET /sleep?ms=N          or /sleep/N        after N ms (asyncio.sleep: no CPU while waiting)
  GET /lognormal?median_ms=M&p99_ms=P         after a log-normal draw with median M and 99th
                           or /lognormal/M/P  percentile P (ms), capped at CAP_MS

The path forms say the same as the query forms without '=' in them, so they can be given as
`ringlb-load run --path PATH=WEIGHT`.

A replica can be made slower: its service times are multiplied by FACTOR when its SERVER_ID is
ID, from `--slow ID:FACTOR` on its command line (every request; e.g. ringlb --replica-command
"... workload_aiohttp.py --slow 1:3") or from a request's `slow=ID:FACTOR` query parameter (that
request only, overriding the flag). /fast has no service time, so it is not slowed."""

import argparse
import asyncio
import json
import math
import os
import random

from aiohttp import web

# The 99th percentile of the standard normal distribution.
Z99 = 2.3263478740408408
# Draws past this are cut to it, so one request never outlasts a client's timeout (the
# log-normal of median 1 ms and p99 50 ms reaches 2 s about once in 100 000 draws).
CAP_MS = 2000.0


def lognormal_sigma(median_ms, p99_ms):
    """The sigma of the log-normal whose median and 99th percentile are these."""
    return math.log(p99_ms / median_ms) / Z99


def lognormal_ms(median_ms, p99_ms, normal_draw):
    """The service time for one standard normal draw: median * exp(sigma * draw), capped."""
    return min(median_ms * math.exp(lognormal_sigma(median_ms, p99_ms) * normal_draw), CAP_MS)


def parse_slow(text):
    """'ID:FACTOR' -> (ID, FACTOR); ValueError when it is not an integer ID and a factor > 0."""
    server_id, sep, factor = text.partition(":")
    if not sep:
        raise ValueError(f"expected ID:FACTOR, got {text!r}")
    value = float(factor)
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"the factor must be a positive number, got {factor!r}")
    return int(server_id), value


def slow_factor(server_id, flag_specs, query_spec):
    """How much slower this replica serves one request: the query's ID:FACTOR when it names this
    replica (a query naming another one means no slowdown), else the flag's for this ID, else 1."""
    if query_spec is not None:
        wanted, factor = query_spec
        return factor if wanted == server_id else 1.0
    return dict(flag_specs).get(server_id, 1.0)


def parse_ms(value, name):
    try:
        ms = float(value)
    except (TypeError, ValueError):
        raise web.HTTPBadRequest(text=f"{name} must be a number of milliseconds\n") from None
    if not 0 <= ms <= 60_000:
        raise web.HTTPBadRequest(text=f"{name} must be between 0 and 60000\n")
    return ms


class Replica:
    def __init__(self, server_id, slow_specs, seed):
        self.server_id = server_id
        self.slow_specs = slow_specs
        self.random = random.Random(seed)
        self.body = json.dumps({"message": f"Hello from Server: {server_id}",
                                "status": "successful"}).encode()

    def answer(self):
        return web.Response(body=self.body, content_type="application/json")

    def factor(self, request):
        spec = request.query.get("slow")
        if spec is None:
            return slow_factor(self.server_id, self.slow_specs, None)
        try:
            return slow_factor(self.server_id, self.slow_specs, parse_slow(spec))
        except ValueError as error:
            raise web.HTTPBadRequest(text=f"slow: {error}\n") from None

    async def serve_after(self, request, ms):
        ms *= self.factor(request)
        if ms > 0:
            await asyncio.sleep(ms / 1000.0)
        return self.answer()

    async def fast(self, _request):
        return self.answer()

    async def heartbeat(self, _request):
        return web.Response(status=200)

    async def sleep(self, request):
        ms = request.match_info.get("ms", request.query.get("ms"))
        return await self.serve_after(request, parse_ms(ms, "ms"))

    async def lognormal(self, request):
        median = request.match_info.get("median", request.query.get("median_ms", "1"))
        p99 = request.match_info.get("p99", request.query.get("p99_ms", "50"))
        median_ms, p99_ms = parse_ms(median, "median_ms"), parse_ms(p99, "p99_ms")
        if not 0 < median_ms <= p99_ms:
            raise web.HTTPBadRequest(text="need 0 < median_ms <= p99_ms\n")
        ms = lognormal_ms(median_ms, p99_ms, self.random.gauss(0.0, 1.0))
        return await self.serve_after(request, ms)

    def app(self):
        app = web.Application()
        app.add_routes([
            web.get("/heartbeat", self.heartbeat),
            web.get("/home", self.fast),
            web.get("/fast", self.fast),
            web.get("/sleep", self.sleep),
            web.get("/sleep/{ms}", self.sleep),
            web.get("/lognormal", self.lognormal),
            web.get("/lognormal/{median}/{p99}", self.lognormal),
        ])
        return app


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=parse_slow, action="append", default=[], metavar="ID:FACTOR",
                        help="multiply the service times of the replica whose SERVER_ID is ID")
    parser.add_argument("--seed", type=int, help="seed of the log-normal draws (default: random)")
    args = parser.parse_args()
    replica = Replica(int(os.environ.get("SERVER_ID", "0")), args.slow, args.seed)
    web.run_app(replica.app(), host=os.environ["HOST"], port=int(os.environ["PORT"]), print=None,
                access_log=None)


if __name__ == "__main__":
    main()
