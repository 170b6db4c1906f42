#!/usr/bin/python3
"""A stand-in replica for tests that need to see what ringlb forwards.

Takes ringlb-server's command line (--id, --host, --port, --threads), announces
'listening on HOST:PORT', answers /heartbeat, /home like ringlb-server, and every other path with
a JSON echo of the request it received: method, path, headers (also as a list of [name, value]
lines, in order, repeats kept) and body. Paths under /slow answer after 30 s."""

import argparse
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/heartbeat":
            return self.answer(200, b"", "text/plain")
        if self.path == "/home":
            return self.answer(200, json.dumps({"message": f"Hello from Server: {self.server.server_id}",
                                                "status": "successful"}).encode())
        if self.path.startswith("/slow"):
            time.sleep(30)  # a replica that takes an answer's whole time limit, and more
        if self.path.startswith("/missing"):
            return self.answer(404, b'{"message": "no", "status": "failure"}')
        echo = {"server_id": self.server.server_id, "method": self.command, "path": self.path,
                "headers": {k: v for k, v in self.headers.items()},
                "header_lines": [[k, v] for k, v in self.headers.items()], "body": body.decode("latin-1")}
        self.answer(200, json.dumps(echo).encode())

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--id", default=os.environ.get("SERVER_ID", "0"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", default="1")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.server_id = args.id
    print(f"listening on {args.host}:{server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
