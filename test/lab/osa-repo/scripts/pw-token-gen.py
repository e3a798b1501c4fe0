#!/usr/bin/env python3
"""Fill every empty secret of a user_secrets.yml with a random token, keeping the file's text."""
import argparse
import re
import secrets

parser = argparse.ArgumentParser()
parser.add_argument("--file", required=True)
path = parser.parse_args().file
with open(path, encoding="utf-8") as handle:
    lines = handle.read().split("\n")
filled = [re.sub(r"^([A-Za-z0-9_]+):\s*$", lambda m: f"{m.group(1)}: {secrets.token_hex(16)}", line) for line in lines]
with open(path, "w", encoding="utf-8") as handle:
    handle.write("\n".join(filled))
