"""Schema migrations (version, name, sql) applied in order by `heat-manage db_sync`."""
MIGRATIONS = [
    (1, "initial", """
CREATE TABLE stack (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
    tenant TEXT NOT NULL DEFAULT 'admin', created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE service (
    id INTEGER PRIMARY KEY AUTOINCREMENT, host TEXT NOT NULL, binary TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now')));
"""),
    (2, "stack_description", "ALTER TABLE stack ADD COLUMN description TEXT DEFAULT '';"),
    (3, "sample_stacks", """
INSERT OR IGNORE INTO stack (id, name, status, description) VALUES
 ('5f1c0b6e-0d1a-4a4e-9a53-000000000001', 'lab-network', 'CREATE_COMPLETE', 'sample stack'),
 ('5f1c0b6e-0d1a-4a4e-9a53-000000000002', 'lab-servers', 'UPDATE_COMPLETE', 'sample stack');
"""),
]
