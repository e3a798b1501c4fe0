"""What every lab sample service shares (keystone, glance, placement, cinder): an API process that answers
GET / with a version document naming the host and the code marker, and a `*-manage` that applies
the project's migrations. A sample project only names itself (see test/lab/lib/gen-sample-project.py).

API: `<script> [--config-file F] [--port P] [--host H]` - without --config-file the service's
default file is read (like oslo.config's default search); --port/--host win over the file's
[DEFAULT] bind_port/bind_host, as for pbr's WSGI scripts, whose `--` separator (server options
before it, the application's after: `cinder-wsgi --port P --host H -- --config-file F`) is accepted.
"""
import importlib
import json
import os
import pkgutil
import signal
import socket
import socketserver
import sys
from wsgiref import simple_server

import osalab_db
import osalab_log
from osalab_config import CONF, Opt


class Service:
    def __init__(self, name, unit, version, config, port, migrations):
        self.name, self.unit, self.version = name, unit, version
        self.config, self.port, self.migrations = config, port, migrations
        CONF.register_opts([Opt("debug", False, bool), Opt("bind_host", "0.0.0.0"), Opt("bind_port", port, int)])
        CONF.register_opts([Opt("connection", f"sqlite:////var/lib/{name}/{name}.sqlite")], group="database")

    def parse(self, argv, prog):
        argv = list(argv)
        if "--config-file" not in argv and os.path.exists(self.config):
            argv = ["--config-file", self.config] + argv
        rest = CONF(argv, prog=prog)
        osalab_log.setup(debug=CONF.debug)
        return rest

    def load_migrations(self):
        package = importlib.import_module(self.migrations)
        found = []
        for module in pkgutil.iter_modules(package.__path__):
            if module.name[:1] == "v" and module.name[1:5].isdigit():
                sql = importlib.import_module(f"{self.migrations}.{module.name}").SQL
                found.append((int(module.name[1:5]), module.name[6:], sql))
        return found

    def application(self, environ, start_response):
        path = environ.get("PATH_INFO", "/").rstrip("/") or "/"
        if path == "/healthcheck":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"OK"]
        if path == "/":
            body = {"service": self.unit, "host": socket.gethostname(), "version": self.version.VERSION,
                    "code_version": self.version.CODE_MARKER, "versions": [{"id": "v1", "status": "CURRENT"}]}
            status = "200 OK"
        elif path == "/v1/items":
            conn = osalab_db.connect(CONF.database.connection)
            try:
                body, status = {"items": [dict(r) for r in conn.execute("SELECT * FROM item ORDER BY id")]}, "200 OK"
            except Exception as exc:  # not synced yet
                body, status = {"error": str(exc)}, "500 Internal Server Error"
            finally:
                conn.close()
        else:
            body, status = {"error": "not found", "path": path}, "404 Not Found"
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def api_main(service, argv=None):
    argv = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--"]  # pbr's separator
    rest = service.parse(argv, prog=service.unit)
    host, port, i = CONF.bind_host, CONF.bind_port, 0
    while i < len(rest):
        if rest[i] in ("--port", "--host") and i + 1 < len(rest):
            host, port = (host, int(rest[i + 1])) if rest[i] == "--port" else (rest[i + 1], port)
            i += 2
        else:
            i += 1
    log = osalab_log.getLogger(f"{service.name}.api")

    class Handler(simple_server.WSGIRequestHandler):
        def log_message(self, fmt, *args):
            log.info("%s %s", self.client_address[0], fmt % args)

    server = simple_server.make_server(host, port, service.application, server_class=_Server, handler_class=Handler)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    log.info("Starting %s on %s:%s (code %s)", service.unit, host, port, service.version.CODE_MARKER)
    try:
        server.serve_forever()
    except SystemExit:
        log.info("Stopping %s", service.unit)
    return 0


def manage_main(service, argv=None):
    rest = service.parse(argv if argv is not None else sys.argv[1:], prog=f"{service.name}-manage")
    log = osalab_log.getLogger(f"{service.name}.db.migration")
    if rest[:1] == ["db_sync"] or rest[:2] == ["db", "sync"]:
        with osalab_db.connect(CONF.database.connection) as conn:
            applied = osalab_db.upgrade(conn, service.load_migrations(), log=log)
            log.info("Database at version %d (%d migrations applied)", osalab_db.current_version(conn), len(applied))
        return 0
    if rest[:1] == ["db_version"] or rest[:2] == ["db", "version"]:
        with osalab_db.connect(CONF.database.connection) as conn:
            print(osalab_db.current_version(conn))
        return 0
    print(f"usage: {service.name}-manage [--config-file FILE] {{db_sync | db sync | db_version}}", file=sys.stderr)
    return 2
