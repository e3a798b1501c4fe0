"""heat-engine: the orchestration worker (a periodic loop here)."""
import signal
import sys

from heat.common import config


def main(argv=None):
    config.parse_args(argv if argv is not None else sys.argv[1:], prog="heat-engine")
    from heat.engine.service import EngineService
    srv = EngineService()
    signal.signal(signal.SIGTERM, srv.stop)
    signal.signal(signal.SIGINT, srv.stop)
    srv.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
