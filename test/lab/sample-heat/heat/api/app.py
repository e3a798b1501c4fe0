"""The heat-api WSGI application."""
import json
import socket
import sqlite3
import uuid

import osalab_log

from heat import version
from heat.db import api as db_api

LOG = osalab_log.getLogger("heat.api.openstack.v1")


def _json(start_response, status, body):
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/").rstrip("/") or "/"
    method = environ.get("REQUEST_METHOD", "GET")
    req_id = "req-" + str(uuid.uuid4())
    if method != "GET":
        return _json(start_response, "405 Method Not Allowed", {"error": "method not allowed"})
    if path == "/":
        return _json(start_response, "200 OK", {
            "service": "heat-api", "host": socket.gethostname(),
            "code_version": version.CODE_MARKER, "version": version.VERSION,
            "versions": [{"id": "v1.0", "status": "CURRENT"}]})
    if path == "/healthcheck":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"OK"]
    parts = path.strip("/").split("/")
    if parts[0] == "v1" and parts[-1] == "stacks" and len(parts) in (2, 3):
        try:
            stacks = db_api.stack_get_all()
        except sqlite3.Error as exc:
            LOG.error("DB error listing stacks: %s", exc, extra={"request_id": req_id})
            return _json(start_response, "500 Internal Server Error", {"error": str(exc)})
        LOG.info("GET %s returned %d stacks", path, len(stacks), extra={"request_id": req_id})
        return _json(start_response, "200 OK", {"stacks": stacks})
    return _json(start_response, "404 Not Found", {"error": "not found", "path": path})
