"""An aiohttp replica for the streaming tests: bodies of any size made or read as they flow, an
event stream, a WebSocket echo and an answer ended by closing the connection.

Like echo_aiohttp.py it serves /heartbeat and the assignment's /home on HOST:PORT with SERVER_ID.
Every other answer carries X-Server-Id. The bodies follow the pattern of tests/integration/
streams.py, so a client checks any size without either side holding it:

  GET  /download?bytes=N&framing=length|chunked   N bytes in 64 KiB writes; with &cut_after=C the
                                                   connection is closed after C of them
  POST /upload                                     {"bytes": n, "sha256": "..."} of the body read
  GET  /events?count=K&interval=S                  text/event-stream, "data: <i>" every S seconds
  GET  /ws                                         WebSocket echo of text and binary messages
  GET  /close-delimited?bytes=N                    no Content-Length, not chunked: the close ends it
"""

import asyncio
import hashlib
import os
import sys

from aiohttp import WSMsgType, web

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from streams import PIECE, pattern_pieces  # noqa: E402

SERVER_ID = os.environ.get("SERVER_ID", "0")
IDENTITY = {"X-Server-Id": SERVER_ID}


def int_query(request, name, default):
    try:
        value = int(request.query.get(name, default))
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer\n")
    if value < 0:
        raise web.HTTPBadRequest(text=f"{name} must not be negative\n")
    return value


async def home(_request):
    return web.json_response({"message": f"Hello from Server: {SERVER_ID}", "status": "successful"})


async def heartbeat(_request):
    return web.Response(status=200)


async def download(request):
    total = int_query(request, "bytes", 0)
    framing = request.query.get("framing", "length")
    if framing not in ("length", "chunked"):
        raise web.HTTPBadRequest(text="framing is length or chunked\n")
    response = web.StreamResponse(headers=IDENTITY)
    if framing == "length":
        response.content_length = total
    else:
        response.enable_chunked_encoding()
    cut_after = int_query(request, "cut_after", total)
    await response.prepare(request)
    sent = 0
    # write() waits while the socket's buffer is full, so a slow reader slows this loop down
    # instead of making it queue the body in memory.
    for piece in pattern_pieces(total):
        if sent >= cut_after:
            request.transport.close()  # short of the length it announced
            return response
        await response.write(piece)
        sent += len(piece)
    await response.write_eof()
    return response


async def upload(request):
    digest = hashlib.sha256()
    count = 0
    async for data in request.content.iter_chunked(PIECE):
        digest.update(data)
        count += len(data)
    return web.json_response({"bytes": count, "sha256": digest.hexdigest()}, headers=IDENTITY)


async def events(request):
    count = int_query(request, "count", 3)
    try:
        interval = float(request.query.get("interval", "1"))
    except ValueError:
        raise web.HTTPBadRequest(text="interval must be a number\n")
    response = web.StreamResponse(headers={**IDENTITY, "Content-Type": "text/event-stream",
                                           "Cache-Control": "no-cache"})
    await response.prepare(request)
    for i in range(count):
        if i:
            await asyncio.sleep(interval)
        # Each event goes to the socket as it is written: aiohttp does not hold small writes.
        await response.write(f"data: {i}\n\n".encode())
    await response.write_eof()
    return response


async def websocket_echo(request):
    ws = web.WebSocketResponse()
    ws.headers.update(IDENTITY)
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await ws.send_bytes(message.data)
    return ws


class CloseDelimitedResponse(web.StreamResponse):
    """An answer with neither Content-Length nor chunked encoding, whose end is the close.

    aiohttp 3.8 answers an HTTP/1.0 request that way by itself, but for an HTTP/1.1 request a
    StreamResponse without a length is always chunked, and enable_chunked_encoding() only turns
    chunking on. Its length check, which picks chunking, is skipped for a class whose
    _length_check is false, as aiohttp's own FileResponse and WebSocketResponse do; force_close()
    then makes it send "Connection: close" and close the connection after the body."""

    _length_check = False


async def close_delimited(request):
    total = int_query(request, "bytes", 0)
    response = CloseDelimitedResponse(headers=IDENTITY)
    response.force_close()
    await response.prepare(request)
    for piece in pattern_pieces(total):
        await response.write(piece)
    await response.write_eof()
    return response


app = web.Application()
app.add_routes([
    web.get("/home", home),
    web.get("/heartbeat", heartbeat),
    web.get("/download", download),
    web.post("/upload", upload),
    web.get("/events", events),
    web.get("/ws", websocket_echo),
    web.get("/close-delimited", close_delimited),
])

if __name__ == "__main__":
    web.run_app(app, host=os.environ["HOST"], port=int(os.environ["PORT"]), print=None, access_log=None)
