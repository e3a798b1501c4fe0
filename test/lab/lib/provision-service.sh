#!/bin/bash
# Runs INSIDE a sample-service container (keystone, glance, placement, cinder):
#   lxc-attach ... bash -s -- NAME IP MGMT_IP WHEEL_URL TAG SPEC   (SPEC: a SAMPLE_SERVICES line)
# Like an OSA service role: system user, venv /openstack/venvs/<svc>-<tag> with constraints.txt
# installed from the wheel repo, /etc/<svc>/ config, db sync as the service user, systemd unit.
# Current OSA style: no pip.conf (find-links at build time only). Re-runnable: a lab provisioned
# by an older up.sh (keystone ran as unit "keystone") is migrated in place.
set -euxo pipefail
NAME=$1 IP=$2 MGMT=$3 WHEELS=$4 TAG=$5
IFS='|' read -r SVC PKG VERSION UNIT PORT CONF MANAGE SYNC _MIGRATIONS ARGS _WSGI <<<"$6"
VENV=/openstack/venvs/$SVC-$TAG
id "$SVC" >/dev/null 2>&1 || useradd --system --home-dir "/var/lib/$SVC" --shell /bin/false --user-group "$SVC"
install -d -o "$SVC" -g "$SVC" -m 0750 "/var/lib/$SVC"
install -d -o root -g "$SVC" -m 0750 "$(dirname "$CONF")"
# the unit an older lab used (named after the service) goes away
if [ "$SVC" != "$UNIT" ] && [ -f "/etc/systemd/system/$SVC.service" ]; then
  systemctl disable --now "$SVC" || true
  rm -f "/etc/systemd/system/$SVC.service"
fi
systemctl stop "$UNIT" 2>/dev/null || true
rm -rf "$VENV"
/usr/bin/python3 -m venv "$VENV"
printf '%s===%s\nosalab-wsgi===1.0.0\nosalab-log===1.0.0\nosalab-config===1.0.0\nosalab-db===1.0.0\n' "$PKG" "$VERSION" > "$VENV/constraints.txt"
"$VENV/bin/pip" install --disable-pip-version-check --no-index --trusted-host "$MGMT" --find-links "$WHEELS" \
  -c "$VENV/constraints.txt" "$PKG"
cat > "$CONF" <<C
[DEFAULT]
debug = False
bind_host = $IP
bind_port = $PORT

[database]
connection = sqlite:////var/lib/$SVC/$SVC.sqlite
C
chown "root:$SVC" "$CONF"; chmod 0640 "$CONF"
# shellcheck disable=SC2086 # SYNC is "db_sync" or "db sync"
runuser -u "$SVC" -- "$VENV/bin/$MANAGE" --config-file "$CONF" $SYNC
args=${ARGS//@PORT@/$PORT}; args=${args//@IP@/$IP}; args=${args//@CONF@/$CONF}
cat > "/etc/systemd/system/$UNIT.service" <<U
[Unit]
Description=$UNIT service
After=network-online.target

[Service]
Type=simple
User=$SVC
Group=$SVC
ExecStart=$VENV/bin/$UNIT $args
Restart=on-failure
RestartSec=2
TimeoutStopSec=10
KillSignal=SIGTERM
SyslogIdentifier=$UNIT
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
U
systemctl daemon-reload
systemctl enable --now "$UNIT"
