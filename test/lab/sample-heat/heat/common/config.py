import socket

from osalab_config import CONF, Opt

CONF.register_opts([
    Opt("debug", False, bool, "Log at DEBUG level"),
    Opt("host", socket.gethostname(), str, "Name of this node"),
    Opt("num_engine_workers", 1, int, "Number of heat-engine workers"),
    Opt("periodic_interval", 10, int, "Seconds between engine periodic tasks"),
])
CONF.register_opts([Opt("connection", "sqlite:////var/lib/heat/heat.sqlite")], group="database")
CONF.register_opts([Opt("bind_host", "0.0.0.0"), Opt("bind_port", 8004, int),
                    Opt("workers", 1, int)], group="heat_api")


def parse_args(argv=None, prog=None):
    import osalab_log
    rest = CONF(argv, prog=prog)
    osalab_log.setup(debug=CONF.debug)
    return rest
