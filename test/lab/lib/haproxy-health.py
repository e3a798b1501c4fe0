"""Read 'show stat' CSV on stdin; print 'backend/server status check_status' lines;
exit 0 when every server of heat_api-back and keystone_service-back is UP after a passed check."""
import csv
import sys

rows = list(csv.DictReader(l.lstrip("# ") for l in sys.stdin if l.strip()))
ok, seen = True, 0
for r in rows:
    if r["svname"] in ("FRONTEND", "BACKEND"):
        continue
    print(f'{r["pxname"]}/{r["svname"]} {r["status"]} {r.get("check_status", "")}')
    if r["pxname"] in ("heat_api-back", "keystone_service-back"):
        seen += 1
        ok &= r["status"] == "UP" and r.get("check_status", "").startswith("L7OK")
sys.exit(0 if ok and seen >= 3 else 1)
