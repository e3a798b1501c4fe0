"""Tiny SQLite 'sqlalchemy-migrate' stand-in: connection URLs and versioned migrations."""
import os
import sqlite3


def connect(url):
    """Accepts 'sqlite:////abs/path.sqlite' (or a plain path)."""
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def current_version(conn):
    conn.execute("CREATE TABLE IF NOT EXISTS migrate_version "
                 "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM migrate_version").fetchone()
    return row[0] or 0


def upgrade(conn, migrations, log=None):
    """migrations: list of (version, name, sql). Applies the missing ones; idempotent."""
    applied = []
    cur = current_version(conn)
    for version, name, sql in sorted(migrations):
        if version <= cur:
            continue
        with conn:
            conn.executescript(sql)
            conn.execute("INSERT INTO migrate_version VALUES (?, ?, datetime('now'))", (version, name))
        applied.append(version)
        if log:
            log.info("Running upgrade %s -> %s, %s", cur, version, name)
        cur = version
    return applied
