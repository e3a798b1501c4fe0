import type { ShellRunner } from '../process/types';
import { expectSuccess } from '../process/types';
import { shellJoin } from '../shell/quote';
import { assertContainerName } from '../runtime/lxc/validate';
import { parseJournal, type JournalDocument, type LockHolder } from './journal';

export const JOURNAL_DIR = '/var/lib/osa-dev';

/** Writing the journal failed (disk full, read-only fs): the step it guards was NOT run. */
export class JournalWriteError extends Error {
  constructor(path: string, stderr: string) {
    super(
      `Could not write the dev-mode journal ${path} on the host (${stderr.trim() || 'unknown error'}). ` +
        'Nothing was changed for this step. Free space on the host (df -h /var/lib) and try again.',
    );
    this.name = 'JournalWriteError';
  }
}

export class ContainerLockedError extends Error {
  constructor(
    readonly container: string,
    readonly lock: LockHolder,
  ) {
    super(`${container} is already in dev mode for ${lock.holder} since ${lock.since}. Wait for them to restore it, or take over the session.`);
    this.name = 'ContainerLockedError';
  }
}

// Constant scripts; paths and contents arrive as positional parameters or on stdin.
// Atomic replace: write a temp file in the same directory, fsync via sync -f when present, rename.
const WRITE_ATOMIC = [
  'umask 077',
  'mkdir -p "$1" && chmod 700 "$1" || exit 1',
  'tmp="$1/.$2.$$.tmp"',
  'if cat > "$tmp" && { sync -f "$tmp" 2>/dev/null || true; } && mv -f "$tmp" "$1/$2"; then exit 0; fi',
  'rm -f "$tmp"; exit 1',
].join('\n');
// O_EXCL create through noclobber: exactly one writer wins; the loser prints the holder.
// A lock created but not written (disk full) is removed again: it must not block anyone.
const TAKE_LOCK = [
  'umask 077',
  'mkdir -p "$1" && chmod 700 "$1" || exit 1',
  'if ! (set -C; : > "$1/$2") 2>/dev/null; then cat "$1/$2"; exit 3; fi',
  'if cat > "$1/$2"; then exit 0; fi',
  'rm -f "$1/$2"; exit 1',
].join('\n');
const READ_IF_EXISTS = 'if [ -e "$1" ]; then cat "$1"; else exit 3; fi';

/** The journal and lock files of every container on one host, under /var/lib/osa-dev (root only). */
export class JournalStore {
  constructor(
    private readonly host: ShellRunner,
    private readonly dir: string = JOURNAL_DIR,
  ) {}

  path(container: string): string {
    return `${this.dir}/${assertContainerName(container)}.json`;
  }

  async read(container: string): Promise<JournalDocument | undefined> {
    const path = this.path(container);
    const result = await this.host.exec(shellJoin(['sh', '-c', READ_IF_EXISTS, 'sh', path]), { secretOutput: true });
    if (result.code === 3) return undefined;
    expectSuccess(`read ${path}`, result, 'Reading the dev-mode journal failed');
    return parseJournal(path, result.stdout);
  }

  async write(doc: JournalDocument): Promise<void> {
    const name = `${assertContainerName(doc.container)}.json`;
    const result = await this.host.exec(shellJoin(['sh', '-c', WRITE_ATOMIC, 'sh', this.dir, name]), {
      stdin: `${JSON.stringify(doc, null, 1)}\n`,
    });
    if (result.code !== 0) throw new JournalWriteError(`${this.dir}/${name}`, result.stderr);
  }

  async remove(container: string): Promise<void> {
    const result = await this.host.exec(shellJoin(['rm', '-f', this.path(container)]));
    expectSuccess(`rm ${this.path(container)}`, result, 'Removing the dev-mode journal failed');
  }

  /** Every container with a journal on this host (the tree shows them as in dev mode). */
  async list(): Promise<JournalDocument[]> {
    const script = 'for f in "$1"/*.json; do [ -f "$f" ] || continue; printf "%s\\n" "$f"; cat "$f"; printf "\\n\\036\\n"; done';
    const result = await this.host.exec(shellJoin(['sh', '-c', script, 'sh', this.dir]), { secretOutput: true });
    expectSuccess('list journals', result, 'Listing dev-mode journals failed');
    return result.stdout
      .split('\n\u001e\n')
      .filter((chunk) => chunk.trim() !== '')
      .map((chunk) => {
        const newline = chunk.indexOf('\n');
        return parseJournal(chunk.slice(0, newline), chunk.slice(newline + 1));
      });
  }

  /** Takes the container's lock; the same holder may take it again (re-running is idempotent). */
  async lock(container: string, holder: LockHolder, options: { takeOver?: boolean } = {}): Promise<void> {
    const name = `${assertContainerName(container)}.lock`;
    const result = await this.host.exec(shellJoin(['sh', '-c', TAKE_LOCK, 'sh', this.dir, name]), { stdin: JSON.stringify(holder) });
    if (result.code === 0) return;
    if (result.code !== 3) throw new JournalWriteError(`${this.dir}/${name}`, result.stderr);
    const current = parseLock(result.stdout);
    if (current.holder === holder.holder) return;
    if (!options.takeOver) throw new ContainerLockedError(container, current);
    await this.unlock(container);
    await this.lock(container, holder);
  }

  async readLock(container: string): Promise<LockHolder | undefined> {
    const result = await this.host.exec(shellJoin(['sh', '-c', READ_IF_EXISTS, 'sh', `${this.dir}/${assertContainerName(container)}.lock`]));
    if (result.code === 3) return undefined;
    return parseLock(result.stdout);
  }

  async unlock(container: string): Promise<void> {
    const result = await this.host.exec(shellJoin(['rm', '-f', `${this.dir}/${assertContainerName(container)}.lock`]));
    expectSuccess('unlock', result, 'Releasing the dev-mode lock failed');
  }
}

function parseLock(text: string): LockHolder {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.holder === 'string' && typeof value.since === 'string') return { holder: value.holder, since: value.since };
  } catch {
    // fall through: an unreadable lock still blocks, and says so
  }
  return { holder: 'an unknown holder (unreadable lock file)', since: 'an unknown time' };
}
