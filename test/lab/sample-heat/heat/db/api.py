import osalab_db

from heat.common.config import CONF
from heat.db.migrations import MIGRATIONS


def get_connection():
    return osalab_db.connect(CONF.database.connection)


def db_sync(log=None):
    with get_connection() as conn:
        return osalab_db.upgrade(conn, MIGRATIONS, log=log), osalab_db.current_version(conn)


def db_version():
    with get_connection() as conn:
        return osalab_db.current_version(conn)


def stack_get_all():
    conn = get_connection()
    try:
        rows = conn.execute("SELECT * FROM stack ORDER BY created_at, id").fetchall()
        return [dict(r) for r in rows]
    finally:
        conn.close()


def service_heartbeat(host, binary):
    conn = get_connection()
    try:
        with conn:
            cur = conn.execute("UPDATE service SET updated_at = datetime('now') WHERE host=? AND binary=?",
                               (host, binary))
            if cur.rowcount == 0:
                conn.execute("INSERT INTO service (host, binary) VALUES (?, ?)", (host, binary))
    finally:
        conn.close()
