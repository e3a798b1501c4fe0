import type { ShellRunner } from '../process/types';
import { expectSuccess } from '../process/types';
import { shellJoin } from '../shell/quote';
import { assertContainerName } from '../runtime/lxc/validate';
import { goneHolder, isHolderProcess, linuxProcesses, type LocalProcesses } from './holderProcess';
import { JournalFormatError, parseJournal, type JournalDocument, type LockHolder } from './journal';

export const JOURNAL_DIR = '/var/lib/osa-dev';

export interface LockOptions {
  /** Take the lock from another holder (the user confirmed). */
  readonly takeOver?: boolean;
  /** Told when a holder whose process is provably gone is taken over without asking. */
  readonly onStaleLock?: (gone: LockHolder, why: string) => void;
}

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
// Atomic replace: write a temp file in the same directory, fsync it, rename, fsync the directory
// (so the rename itself survives a power cut). `sync FILE` fsyncs that file (coreutils >= 8.24);
// where it cannot, a whole `sync`. Not `sync -f`: syncfs flushes the whole filesystem — every
// byte pip just wrote into the container rootfs — to make one small file durable.
// Only while this session still holds the lock ($3 the lock file, $4 its text, empty: no check),
// tested just before the rename: a write still in flight from a session that was taken over (its
// window killed mid-command), or whose Restore already finished, must not bring a journal back.
const WRITE_ATOMIC = [
  'umask 077',
  'mkdir -p "$1" && chmod 700 "$1" || exit 1',
  'tmp="$1/.$2.$$.tmp"',
  'cat > "$tmp" && { sync "$tmp" 2>/dev/null || sync; } || { rm -f "$tmp"; exit 1; }',
  'if [ -n "$3" ] && [ "$(cat "$1/$3" 2>/dev/null)" != "$4" ]; then rm -f "$tmp"; exit 5; fi',
  'mv -f "$tmp" "$1/$2" || { rm -f "$tmp"; exit 1; }',
  'sync "$1" 2>/dev/null',
  'exit 0',
].join('\n');
// Take the lock, then print the journal, in one round trip. The holder is written to a temp file
// first, then hard-linked as the lock: link() fails when the lock exists, so exactly one writer
// wins, and a lock is never seen empty (creating it empty and writing it after let a racing window
// read "an unknown holder"). Disk full: the temp file fails, no lock is created, nobody is blocked.
// A lock already held prints `held` and its holder (the caller decides whether that is itself);
// then a marker line says whether a journal follows. $1 dir, $2 lock file, $3 journal file; the
// holder on stdin. Exit 1: the lock could not be written (disk full…); 4: a file could not be read.
export const OPEN_MARKER = '@@osa-dev-journal';
const LOCK_AND_READ = [
  'umask 077',
  'mkdir -p "$1" && chmod 700 "$1" || exit 1',
  'tmp="$1/.$2.$$.tmp"',
  'cat > "$tmp" || { rm -f "$tmp"; exit 1; }',
  // A lock released between the failed link and the read (a stale one taken over meanwhile): link again.
  'tries=0',
  'until ln "$tmp" "$1/$2" 2>/dev/null; do',
  '  if held=$(cat "$1/$2" 2>/dev/null); then printf "held\\n%s\\n" "$held"; break; fi',
  '  tries=$((tries + 1)); [ "$tries" -lt 50 ] || { rm -f "$tmp"; exit 4; }',
  'done',
  'rm -f "$tmp"',
  `if [ -e "$1/$3" ]; then echo '${OPEN_MARKER} present'; cat "$1/$3" || exit 4; exit 0; fi`,
  `echo '${OPEN_MARKER} absent'`,
].join('\n');
const READ_IF_EXISTS = 'if [ -e "$1" ]; then cat "$1"; else exit 3; fi';
// Remove the lock only if it still is the one that was seen ($1 the lock, $2 its text): moved
// aside first (rename is atomic), compared, and linked back when another holder took it meanwhile.
// Exit 0: removed (or already gone); 6: it names someone else now, left in place.
const RELEASE_IF_SAME = [
  'aside="$1.$$.stale"',
  'mv -f "$1" "$aside" 2>/dev/null || exit 0',
  'if [ "$(cat "$aside")" = "$2" ]; then rm -f "$aside"; exit 0; fi',
  'ln "$aside" "$1" 2>/dev/null; rm -f "$aside"; exit 6',
].join('\n');

/** This session no longer holds the container's lock: its journal writes are refused. */
export class JournalLockLostError extends Error {
  constructor(readonly container: string) {
    super(
      `The dev-mode lock of ${container} is no longer held by this session (another window took it over, or a Restore finished): ` +
        'nothing more was changed from here. Run Develop or Restore again to take the session back.',
    );
    this.name = 'JournalLockLostError';
  }
}

/** The journal and lock files of every container on one host, under /var/lib/osa-dev (root only). */
export class JournalStore {
  /** The lock file's text while this store holds a container's lock: journal writes check it. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly host: ShellRunner,
    private readonly dir: string = JOURNAL_DIR,
    /** Where a lock's holder process is looked for (this machine). */
    private readonly local: LocalProcesses = linuxProcesses,
  ) {}

  path(container: string): string {
    return `${this.dir}/${assertContainerName(container)}.json`;
  }

  private lockPath(container: string): string {
    return `${this.dir}/${assertContainerName(container)}.lock`;
  }

  async read(container: string): Promise<JournalDocument | undefined> {
    const path = this.path(container);
    const result = await this.host.exec(shellJoin(['sh', '-c', READ_IF_EXISTS, 'sh', path]), { secretOutput: true });
    if (result.code === 3) return undefined;
    expectSuccess(`read ${path}`, result, 'Reading the dev-mode journal failed');
    return parseJournal(path, result.stdout);
  }

  async write(doc: JournalDocument): Promise<void> {
    const container = assertContainerName(doc.container);
    const lock = this.held.get(container);
    const argv = ['sh', '-c', WRITE_ATOMIC, 'sh', this.dir, `${container}.json`, lock === undefined ? '' : `${container}.lock`, lock ?? ''];
    const result = await this.host.exec(shellJoin(argv), { stdin: `${JSON.stringify(doc, null, 1)}\n` });
    if (result.code === 5) throw new JournalLockLostError(container);
    if (result.code !== 0) throw new JournalWriteError(this.path(container), result.stderr);
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

  /**
   * Takes the container's lock and reads its journal, in one round trip: what Develop and Restore
   * start with. The same holder may take the lock again (re-running is idempotent); another is
   * refused with who holds it and since when, unless taking over — or unless its process is
   * provably gone on this machine (an osa-dev run that exited, a reloaded window): then it is taken
   * over without asking, and `onStaleLock` says whose and why.
   */
  async lockAndRead(container: string, holder: LockHolder, options: LockOptions = {}): Promise<JournalDocument | undefined> {
    const name = assertContainerName(container);
    const result = await this.host.exec(shellJoin(['sh', '-c', LOCK_AND_READ, 'sh', this.dir, `${name}.lock`, `${name}.json`]), {
      stdin: JSON.stringify(holder),
      secretOutput: true,
    });
    if (result.code === 1) throw new JournalWriteError(this.lockPath(container), result.stderr);
    expectSuccess(`lock and read ${this.path(container)}`, result, 'Reading the dev-mode lock and journal failed');
    const opened = parseLockAndRead(result.stdout);
    if (opened === undefined) throw new JournalFormatError(this.path(container), 'the lock-and-read answer was cut short');
    if (opened.heldBy !== undefined && opened.heldBy.holder !== holder.holder) {
      const gone = goneHolder(opened.heldBy, this.local);
      if (!options.takeOver && gone === undefined) throw new ContainerLockedError(container, opened.heldBy);
      if (gone !== undefined) options.onStaleLock?.(opened.heldBy, gone);
      await this.releaseIfSame(container, opened.lockText ?? '');
      // Not taking over again: a holder that took the lock meanwhile is refused by name.
      return this.lockAndRead(container, holder, { ...options, takeOver: false });
    }
    this.held.set(name, opened.lockText ?? JSON.stringify(holder));
    return opened.journal === undefined ? undefined : parseJournal(this.path(container), opened.journal);
  }

  async readLock(container: string): Promise<LockHolder | undefined> {
    const result = await this.host.exec(shellJoin(['sh', '-c', READ_IF_EXISTS, 'sh', this.lockPath(container)]));
    if (result.code === 3) return undefined;
    return parseLock(result.stdout);
  }

  async unlock(container: string): Promise<void> {
    this.held.delete(assertContainerName(container));
    const result = await this.host.exec(shellJoin(['rm', '-f', this.lockPath(container)]));
    expectSuccess('unlock', result, 'Releasing the dev-mode lock failed');
  }

  private async releaseIfSame(container: string, lockText: string): Promise<void> {
    const result = await this.host.exec(shellJoin(['sh', '-c', RELEASE_IF_SAME, 'sh', this.lockPath(container), lockText]));
    if (result.code !== 6) expectSuccess('release the lock', result, 'Releasing the dev-mode lock failed');
  }

  /** The end of a Restore: the journal and the lock removed in one round trip (journal first). */
  async removeAndUnlock(container: string): Promise<void> {
    this.held.delete(assertContainerName(container));
    const result = await this.host.exec(shellJoin(['rm', '-f', this.path(container), this.lockPath(container)]));
    expectSuccess(`rm ${this.path(container)}`, result, 'Removing the dev-mode journal and lock failed');
  }
}

/**
 * LOCK_AND_READ's answer: who held the lock when it was not free (and the lock file's text, as
 * journal writes compare it), and the journal text, if any.
 */
export function parseLockAndRead(stdout: string): { heldBy?: LockHolder; lockText?: string; journal?: string } | undefined {
  const marker = new RegExp(`^${OPEN_MARKER} (present|absent)\\n`, 'm');
  const match = marker.exec(stdout);
  if (match === null) return undefined;
  const before = stdout.slice(0, match.index);
  const lockText = before.startsWith('held\n') ? before.slice('held\n'.length).replace(/\n+$/, '') : undefined;
  const journal = match[1] === 'present' ? stdout.slice(match.index + match[0].length) : undefined;
  return {
    ...(lockText === undefined ? {} : { heldBy: parseLock(lockText), lockText }),
    ...(journal === undefined ? {} : { journal }),
  };
}

function parseLock(text: string): LockHolder {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.holder === 'string' && typeof value.since === 'string') {
      return { holder: value.holder, since: value.since, ...(isHolderProcess(value.process) ? { process: value.process } : {}) };
    }
  } catch {
    // fall through: an unreadable lock still blocks, and says so
  }
  return { holder: 'an unknown holder (unreadable lock file)', since: 'an unknown time' };
}
