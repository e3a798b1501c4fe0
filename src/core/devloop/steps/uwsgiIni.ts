/** The venv of a uwsgi app from its ini: `virtualenv`, `venv` or `home` in the [uwsgi] section. */
export function venvFromUwsgiIni(text: string): string | undefined {
  let section = '';
  const found: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    if (section !== 'uwsgi') continue;
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (kv && found[kv[1]!] === undefined) found[kv[1]!] = kv[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  for (const key of ['virtualenv', 'venv', 'home', 'pyhome']) {
    const value = found[key];
    if (value) return value.replace(/\/+$/, '');
  }
  return undefined;
}

/** The `--ini` file of a uwsgi argv (`--ini X`, `--ini=X`), or undefined. */
export function uwsgiIniOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--ini' && i + 1 < argv.length) return argv[i + 1];
    if (arg.startsWith('--ini=')) return arg.slice('--ini='.length);
  }
  return undefined;
}
