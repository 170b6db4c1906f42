"""The Flask replica of examples/flask, served by gunicorn with several worker processes.

Behind ringlb (see README.md beside this file):

    ringlb --replica-command "gunicorn --workers 2 --bind {host}:{port} --chdir examples/gunicorn app:app"

gunicorn's master and its workers are one replica: ringlb stops all of them together.
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
