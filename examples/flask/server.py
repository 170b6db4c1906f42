"""A replica as the assignment describes it: a Flask app with /home and /heartbeat that says which
server answered. Its server ID comes from SERVER_ID in the environment; it listens on PORT (5000
when unset, as in the assignment's Docker image) and HOST (all addresses when unset).

Behind ringlb (see README.md beside this file):

    ringlb --replica-command "/usr/bin/python3 examples/flask/server.py"

or under gunicorn, as `server:app` (examples/gunicorn/README.md).
"""

import os

from flask import Flask, jsonify

app = Flask(__name__)
SERVER_ID = os.environ.get("SERVER_ID", "0")


@app.route("/home", methods=["GET"])
def home():
    return jsonify(message=f"Hello from Server: {SERVER_ID}", status="successful"), 200


@app.route("/heartbeat", methods=["GET"])
def heartbeat():
    return "", 200


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "5000")))
