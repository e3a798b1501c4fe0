"""heat-manage: db_sync / db_version."""
import sys

import osalab_log

from heat.common import config

LOG = osalab_log.getLogger("heat.db.migration")


def main(argv=None):
    rest = config.parse_args(argv if argv is not None else sys.argv[1:], prog="heat-manage")
    from heat.db import api as db_api
    cmd = rest[0] if rest else ""
    if cmd == "db_sync":
        applied, ver = db_api.db_sync(log=LOG)
        LOG.info("Database at version %d (%d migrations applied)", ver, len(applied))
        return 0
    if cmd == "db_version":
        print(db_api.db_version())
        return 0
    print("usage: heat-manage [--config-file FILE] {db_sync,db_version}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
