import { withStep, type JournalDocument, type JournalStep } from './journal';

/**
 * A run's journal in memory, written to the host only when a change is about to happen: `write`
 * sends it with every entry noted since the last write, `note` keeps an entry for the next write
 * (a status that follows a change, such as "applied", need not cost a round trip of its own).
 */
export class PendingJournal {
  private current: JournalDocument;
  private dirty = false;

  constructor(
    doc: JournalDocument,
    private readonly save: (doc: JournalDocument) => Promise<void>,
    private readonly onEntry: (entry: JournalStep) => void = () => undefined,
  ) {
    this.current = doc;
  }

  get doc(): JournalDocument {
    return this.current;
  }

  /** Recorded now, written with the next `write` or `flush`. */
  note(entry: JournalStep): void {
    this.current = withStep(this.current, entry);
    this.dirty = true;
    this.onEntry(entry);
  }

  /** Recorded and written now (atomically, with everything noted before): call before a change. */
  async write(entry: JournalStep): Promise<void> {
    this.note(entry);
    await this.flush();
  }

  /** Writes what was noted, if anything. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    await this.save(this.current);
    this.dirty = false;
  }
}
