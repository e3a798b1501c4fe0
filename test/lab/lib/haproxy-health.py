"""Read 'show stat' CSV on stdin; print 'backend/server status check_status' lines;
exit 0 when every server of every backend is UP after a passed check, and at least
argv[1] servers (the lab's expected count) were seen."""
import csv
import sys

expected = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rows = list(csv.DictReader(l.lstrip("# ") for l in sys.stdin if l.strip()))
ok, seen = True, 0
for r in rows:
    if r["svname"] in ("FRONTEND", "BACKEND"):
        continue
    print(f'{r["pxname"]}/{r["svname"]} {r["status"]} {r.get("check_status", "")}')
    if r["pxname"].endswith("-back"):
        seen += 1
        ok &= r["status"] == "UP" and r.get("check_status", "").startswith("L7OK")
sys.exit(0 if ok and seen >= expected else 1)
