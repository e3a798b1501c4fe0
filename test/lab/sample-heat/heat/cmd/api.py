"""heat-api: serves the Orchestration API (single process, threaded stdlib WSGI server)."""
import signal
import socketserver
import sys
from wsgiref import simple_server

import osalab_log

from heat import version
from heat.common import config

LOG = osalab_log.getLogger("heat.cmd.api")


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.info("%s %s", self.client_address[0], fmt % args)


def main(argv=None):
    config.parse_args(argv if argv is not None else sys.argv[1:], prog="heat-api")
    from heat.api.app import application
    conf = config.CONF
    host, port = conf.heat_api.bind_host, conf.heat_api.bind_port
    server = simple_server.make_server(host, port, application, server_class=_Server,
                                       handler_class=_Handler)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    LOG.info("Starting Heat REST API on %s:%s (code %s)", host, port, version.CODE_MARKER)
    try:
        server.serve_forever()
    except SystemExit:
        LOG.info("Stopping Heat REST API")
    return 0


if __name__ == "__main__":
    sys.exit(main())
