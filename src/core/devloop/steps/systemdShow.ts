/** Pure parsers of systemctl output (tested on literal output in test/fixtures/systemd). */

/** `systemctl show -p A -p B unit` → {A: …, B: …} (KEY=VALUE lines; values may contain `=`). */
export function parseSystemctlShow(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface ExecCommand {
  readonly path: string;
  readonly argv: readonly string[];
}

/**
 * `systemctl show -p ExecStart --value` prints one `{ path=… ; argv[]=… ; ignore_errors=no ; … }`
 * per command (ExecStartEx has `flags=` instead of ignore_errors). systemd joins argv with spaces
 * without quoting, so an argument containing a space cannot be told apart: split on whitespace.
 * A bare command line (an `ExecStart=` line from a unit file) is accepted too.
 */
export function parseExecStart(value: string): ExecCommand[] {
  const text = value.trim();
  if (text === '') return [];
  if (!text.startsWith('{')) {
    const argv = text.replace(/^[@\-:+!]+/, '').split(/\s+/);
    return [{ path: argv[0]!, argv }];
  }
  const commands: ExecCommand[] = [];
  // argv may contain ";": it runs to the "; ignore_errors=" (or "; flags=") that ends it. Written
  // so a long run of spaces cannot make the expression backtrack quadratically (`(.*?)\s*;` did).
  const entry = /\{\s*path=(\S+)\s*;\s*argv\[\]=((?:[^;]|;(?!\s*(?:ignore_errors|flags)=))*);\s*(?:ignore_errors|flags)=/g;
  for (const match of text.matchAll(entry)) {
    const argv = match[2]!.trim().split(/\s+/).filter((a) => a !== '');
    commands.push({ path: match[1]!, argv: argv.length > 0 ? argv : [match[1]!] });
  }
  return commands;
}

/** `systemctl list-unit-files --type=service --no-legend --plain` → unit names. */
export function parseUnitFiles(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((u) => u.endsWith('.service'));
}
