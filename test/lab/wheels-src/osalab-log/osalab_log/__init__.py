"""oslo.log-shaped logging: '2026-11-25 12:00:00.123 1234 INFO heat.engine.service [-] message'."""
import logging
import sys

FORMAT = "%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(request_id)s] %(message)s"
DATEFMT = "%Y-%m-%d %H:%M:%S"


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return True


def setup(debug=False, stream=None):
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, DATEFMT))
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)


def getLogger(name):
    return logging.getLogger(name)
