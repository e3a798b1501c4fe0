#!/bin/bash
# Runs INSIDE a heat API container (lxc-attach ... bash -s -- NAME IP MGMT_IP WHEEL_URL TAG).
set -euxo pipefail
NAME=$1 IP=$2 MGMT=$3 WHEELS=$4 TAG=$5
VENV=/openstack/venvs/heat-$TAG
id heat >/dev/null 2>&1 || useradd --system --home-dir /var/lib/heat --shell /bin/false --user-group heat
install -d -o heat -g heat -m 0750 /var/lib/heat /var/log/heat
install -d -o root -g heat -m 0750 /etc/heat
# Older OSA deployments left a pip.conf pointing at the repo server
mkdir -p /root/.pip
printf '[global]\nno-index = true\nfind-links = %s\ntrusted-host = %s\n' "$WHEELS" "$MGMT" > /root/.pip/pip.conf
if [ ! -x "$VENV/bin/heat-api" ]; then
  /usr/bin/python3 -m venv "$VENV"
  cat > "$VENV/constraints.txt" <<C
openstack-heat===24.0.0
osalab-log===1.0.0
osalab-config===1.0.0
osalab-db===1.0.0
C
  "$VENV/bin/pip" install --disable-pip-version-check --no-index --trusted-host "$MGMT" --find-links "$WHEELS" \
     -c "$VENV/constraints.txt" openstack-heat
fi
cat > /etc/heat/heat.conf <<C
[DEFAULT]
debug = False
host = $NAME
num_engine_workers = 1
periodic_interval = 10

[database]
connection = sqlite:////var/lib/heat/heat.sqlite

[heat_api]
bind_host = $IP
bind_port = 8004
workers = 1
C
chown root:heat /etc/heat/heat.conf; chmod 0640 /etc/heat/heat.conf
runuser -u heat -- "$VENV/bin/heat-manage" --config-file /etc/heat/heat.conf db_sync
for svc in api engine; do
cat > /etc/systemd/system/heat-$svc.service <<U
[Unit]
Description=heat-$svc service
After=network-online.target

[Service]
Type=simple
User=heat
Group=heat
ExecStart=$VENV/bin/heat-$svc --config-file /etc/heat/heat.conf
Restart=on-failure
RestartSec=2
TimeoutStopSec=10
KillSignal=SIGTERM
SyslogIdentifier=heat-$svc
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
U
done
systemctl daemon-reload
systemctl enable --now heat-api heat-engine
