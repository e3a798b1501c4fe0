"""Write the source tree of one lab sample service (a keystone, glance, placement or cinder stand-in built
on osalab-wsgi), shaped like the real project where OSA Dev looks: its package name, console
scripts, and migrations directory. Args: SPEC OUTDIR, SPEC being one SAMPLE_SERVICES line of
common.sh. The tree is regenerated (never edited by hand): build-wheels.sh and build-git.sh use it."""
import os
import sys

spec, out = sys.argv[1], sys.argv[2]
service, package, version, unit, port, config, manage, _sync, migrations, _args, *rest = spec.split("|")
wsgi = rest[0] if rest else ""  # pbr's WSGI script (cinder-wsgi), besides the unit's own script
migrations_pkg = migrations.replace("/", ".")


def write(rel, text):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


wsgi_script = f'{wsgi} = "{service}.cmd.api:main"\n' if wsgi else ""
write("pyproject.toml", f'''[build-system]
requires = ["setuptools>=62.6"]
build-backend = "setuptools.build_meta"

[project]
name = "{package}"
version = "{version}"
description = "Lab stand-in for OpenStack {service}, shaped like the real package"
requires-python = ">=3.9"
dynamic = ["dependencies"]

[project.scripts]
{unit} = "{service}.cmd.api:main"
{manage} = "{service}.cmd.manage:main"
{wsgi_script}
[tool.setuptools.dynamic]
dependencies = {{ file = ["requirements.txt"] }}

[tool.setuptools.packages.find]
include = ["{service}*"]
''')
write("requirements.txt", "osalab-wsgi>=1.0.0\nosalab-log>=1.0.0\nosalab-config>=1.0.0\nosalab-db>=1.0.0\n")
write("README.rst", f"{service} (OSA lab sample)\n{'=' * (len(service) + 19)}\n\n"
      f"``{unit}`` serves GET / (version document) on port {port}; ``{manage}`` applies the migrations.\n")
write(f"{service}/__init__.py", "")
write(f"{service}/version.py", f'"""Tests change CODE_MARKER to see new code running remotely."""\n'
      f'VERSION = "{version}"\nCODE_MARKER = "lab-{service}-1"\n')
write(f"{service}/service.py", f'''"""The {service} sample service: what osalab_wsgi needs to know about it."""
import osalab_wsgi

from {service} import version

SERVICE = osalab_wsgi.Service("{service}", "{unit}", version, "{config}", {port}, "{migrations_pkg}")
''')
write(f"{service}/cmd/__init__.py", "")
write(f"{service}/cmd/api.py", f'''"""{unit}: the API in one process (production runs the same script)."""
import sys

import osalab_wsgi

from {service}.service import SERVICE


def main(argv=None):
    return osalab_wsgi.api_main(SERVICE, argv)


if __name__ == "__main__":
    sys.exit(main())
''')
write(f"{service}/cmd/manage.py", f'''"""{manage}: db sync / db version."""
import sys

import osalab_wsgi

from {service}.service import SERVICE


def main(argv=None):
    return osalab_wsgi.manage_main(SERVICE, argv)


if __name__ == "__main__":
    sys.exit(main())
''')
parts = migrations.split("/")
for i in range(1, len(parts) + 1):
    write("/".join(parts[:i]) + "/__init__.py", "")
write(f"{migrations}/v0001_initial.py", '''"""Initial schema."""
SQL = """
CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
                   created_at TEXT NOT NULL DEFAULT (datetime('now')));
INSERT INTO item (name) VALUES ('lab-sample-1'), ('lab-sample-2');
"""
''')
