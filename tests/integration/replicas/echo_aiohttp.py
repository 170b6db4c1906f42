"""An aiohttp replica for tests: /heartbeat, /home, /echo/{token} (see echo_flask.py), and
/slow/{token}?ms=N, the same echo after N milliseconds."""

import asyncio
import os

from aiohttp import web

SERVER_ID = os.environ.get("SERVER_ID", "0")


async def home(_request):
    return web.json_response({"message": f"Hello from Server: {SERVER_ID}", "status": "successful"})


async def heartbeat(_request):
    return web.Response(status=200)


async def echo(request):
    return web.json_response({"token": request.match_info["token"], "server": SERVER_ID})


async def slow(request):
    await asyncio.sleep(int(request.query.get("ms", "1000")) / 1000)
    return await echo(request)


app = web.Application()
app.add_routes([web.get("/home", home), web.get("/heartbeat", heartbeat), web.get("/echo/{token}", echo),
                web.get("/slow/{token}", slow)])

if __name__ == "__main__":
    web.run_app(app, host=os.environ["HOST"], port=int(os.environ["PORT"]), print=None, access_log=None)
