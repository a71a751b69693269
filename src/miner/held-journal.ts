// A journal store that never loses a record to a failed write: a record the store refuses (a
// full disk, an I/O error) is held in memory with every one after it, and written again in order
// every few seconds until the store takes them. Its health (failing, where, how many held) is what
// the status line, the API and /metrics show. Browser-safe.
import type { JournalStore } from './journal.js';
import { unrefTimer } from '../util/timers.js';

export interface JournalHealth {
  /** False while records are held because the store refused them. */
  readonly ok: boolean;
  /** Where the journal is written: its file, or the browser's IndexedDB database. */
  readonly file: string;
  /** Records held in memory, not yet written. */
  readonly unsaved: number;
  /** Why the last write failed, while failing. */
  readonly error?: string;
}

/** Held records are written again this often (default). */
export const RETRY_MS = 5000;

export class HeldJournal<T> {
  private readonly held: T[] = [];
  private error: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<(health: JournalHealth) => void>();

  constructor(private readonly store: JournalStore<T>, private readonly retryMs = RETRY_MS) {}

  get health(): JournalHealth {
    return { ok: this.error === undefined, file: this.store.location, unsaved: this.held.length, ...(this.error === undefined ? {} : { error: this.error }) };
  }

  /** Called when writes begin to fail and when they succeed again; returns what stops it. */
  onChange(listener: (health: JournalHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes the record after every held one, or holds it too; never throws. */
  append(record: T): void {
    this.held.push(record);
    this.flush();
  }

  /** Writes the held records in order; true when none is left. */
  flush(): boolean {
    while (this.held.length > 0) {
      try {
        this.store.append(this.held[0]!);
      } catch (err) {
        this.failed(err as Error);
        return false;
      }
      this.held.shift();
    }
    if (this.error !== undefined) {
      this.error = undefined;
      this.stopRetrying();
      this.changed();
    }
    return true;
  }

  /** One last try for the held records, then the store is closed (what is still held is in `health`). */
  close(): void {
    this.stopRetrying();
    if (this.held.length > 0) this.flush();
    this.stopRetrying();
    this.store.close();
  }

  private failed(err: Error): void {
    const first = this.error === undefined;
    this.error = err.message;
    this.timer ??= unrefTimer(setInterval(() => this.flush(), this.retryMs));
    if (first) this.changed();
  }

  private stopRetrying(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    const health = this.health;
    for (const listener of this.listeners) listener(health);
  }
}
