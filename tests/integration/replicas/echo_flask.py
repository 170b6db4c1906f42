"""A Flask (Werkzeug) replica for tests: /heartbeat, /home as in the assignment, and /echo/<token>
that answers with the token and the server ID, so that a test can match every answer to its
request. Run directly (Werkzeug's server, on HOST:PORT) or by gunicorn (`echo_flask:app`).
STATUS_HEARTBEAT makes /heartbeat answer that status; ONLY_HEALTHZ moves it to /healthz."""

import os

from flask import Flask, jsonify

app = Flask(__name__)
SERVER_ID = os.environ.get("SERVER_ID", "0")
HEALTH_PATH = "/healthz" if os.environ.get("ONLY_HEALTHZ") else "/heartbeat"


@app.route("/home")
def home():
    return jsonify(message=f"Hello from Server: {SERVER_ID}", status="successful")


@app.route(HEALTH_PATH)
def heartbeat():
    return "", int(os.environ.get("STATUS_HEARTBEAT", "200"))


@app.route("/echo/<token>")
def echo(token):
    return jsonify(token=token, server=SERVER_ID)


if __name__ == "__main__":
    app.run(host=os.environ["HOST"], port=int(os.environ["PORT"]))
