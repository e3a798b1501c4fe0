/** argv (run inside a container) that prints the last lines of the units' journal and follows it. */
export function followJournalArgv(units: readonly string[], lines: number): string[] {
  const count = Number.isInteger(lines) && lines >= 0 ? Math.min(lines, 100_000) : 200;
  const argv = ['journalctl', '--follow', '--no-hostname', '--output=short-iso', `--lines=${count}`];
  for (const unit of units) argv.push(`--unit=${unit}`);
  return argv;
}
