#!/bin/bash
# Runs INSIDE the keystone container: a minimal keystone-shaped unit on :5000.
set -euxo pipefail
NAME=$1 IP=$2 MGMT=$3 WHEELS=$4 TAG=$5
VENV=/openstack/venvs/keystone-$TAG
id keystone >/dev/null 2>&1 || useradd --system --home-dir /var/lib/keystone --shell /bin/false --user-group keystone
install -d -o keystone -g keystone /var/lib/keystone /etc/keystone
if [ ! -x "$VENV/bin/keystone-wsgi-public" ]; then
  /usr/bin/python3 -m venv "$VENV"
  printf 'osalab-log===1.0.0\n' > "$VENV/constraints.txt"
  "$VENV/bin/pip" install --disable-pip-version-check --no-index --trusted-host "$MGMT" --find-links "$WHEELS" -c "$VENV/constraints.txt" osalab-log
  cat > "$VENV/bin/keystone-wsgi-public" <<PY
#!$VENV/bin/python3
"""Tiny keystone stand-in: GET /v3 (and /) answer like Keystone's version document."""
import json, socket, sys
from wsgiref.simple_server import make_server, WSGIRequestHandler
import osalab_log
LOG = osalab_log.getLogger("keystone.server.flask.application")

def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    body = {"version": {"id": "v3.14", "status": "stable", "host": socket.gethostname(),
            "links": [{"rel": "self", "href": "http://$MGMT:5000/v3/"}]}}
    if path.rstrip("/") not in ("", "/v3"):
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": {"code": 404}}']
    data = json.dumps(body).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [data]

class H(WSGIRequestHandler):
    def log_message(self, fmt, *a):
        LOG.info("%s %s", self.client_address[0], fmt % a)

osalab_log.setup()
host = sys.argv[1] if len(sys.argv) > 1 else "0.0.0.0"
LOG.info("Starting keystone on %s:5000", host)
make_server(host, 5000, app, handler_class=H).serve_forever()
PY
  chmod 755 "$VENV/bin/keystone-wsgi-public"
fi
cat > /etc/systemd/system/keystone.service <<U
[Unit]
Description=keystone service
After=network-online.target

[Service]
Type=simple
User=keystone
ExecStart=$VENV/bin/keystone-wsgi-public $IP
Restart=on-failure
SyslogIdentifier=keystone
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
U
systemctl daemon-reload
systemctl enable --now keystone
