"""An aiohttp replica for tests: /heartbeat, /home, and /echo/{token} (see echo_flask.py)."""

import os

from aiohttp import web

SERVER_ID = os.environ.get("SERVER_ID", "0")


async def home(_request):
    return web.json_response({"message": f"Hello from Server: {SERVER_ID}", "status": "successful"})


async def heartbeat(_request):
    return web.Response(status=200)


async def echo(request):
    return web.json_response({"token": request.match_info["token"], "server": SERVER_ID})


app = web.Application()
app.add_routes([web.get("/home", home), web.get("/heartbeat", heartbeat), web.get("/echo/{token}", echo)])

if __name__ == "__main__":
    web.run_app(app, host=os.environ["HOST"], port=int(os.environ["PORT"]), print=None, access_log=None)
