import os
import time

import osalab_log

from heat import version
from heat.common.config import CONF
from heat.db import api as db_api

LOG = osalab_log.getLogger("heat.engine.service")


class EngineService:
    def __init__(self):
        self.running = True

    def stop(self, *args):
        self.running = False

    def run(self):
        LOG.info("Starting heat-engine (pid %d, workers %d, code %s)", os.getpid(),
                 CONF.num_engine_workers, version.CODE_MARKER)
        while self.running:
            try:
                db_api.service_heartbeat(CONF.host, "heat-engine")
                LOG.info("Service heartbeat: %d stacks", len(db_api.stack_get_all()))
            except Exception as exc:  # DB may not be synced yet
                LOG.warning("Periodic task failed: %s", exc)
            deadline = time.monotonic() + CONF.periodic_interval
            while self.running and time.monotonic() < deadline:
                time.sleep(0.2)
        LOG.info("heat-engine stopped")
