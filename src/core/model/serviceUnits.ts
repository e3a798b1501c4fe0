/**
 * Units every Debian/Ubuntu container has, whatever it runs: not what a user means by "the
 * container's services". Everything else in /etc/systemd/system is the deployment's own.
 */
const SYSTEM_UNIT = /^(?:(?:serial-|console-|container-)?getty(?:-static|@.*)?|systemd-.*|dbus.*|ssh|sshd|cron|networking|rc-local|lxc-.*|rsync|apt-daily.*)\.service$/;

export function isServiceUnit(unitFile: string): boolean {
  return unitFile.endsWith('.service') && !SYSTEM_UNIT.test(unitFile);
}
