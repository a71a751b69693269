// The page's journal store: records kept in IndexedDB, so the ledger (its blocks, votes and
// credit) survives reloads with the same rules as the command line's ledger.jsonl. All records
// are read once when the store opens; appends are written in order, each in its own durable
// transaction, and flush() waits for them.
import type { JournalStore } from '../../miner/journal.js';

const STORE = 'records';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class IdbJournal<T> implements JournalStore<T> {
  private pending: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;

  private constructor(private readonly db: IDBDatabase, private readonly records: T[], readonly location: string) {}

  /** Opens (or creates) the database `name` and reads every record. */
  static async open<T>(name: string): Promise<IdbJournal<T>> {
    const opening = indexedDB.open(name, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { autoIncrement: true });
    const db = await request(opening);
    const records = await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    return new IdbJournal<T>(db, records as T[], `this browser's IndexedDB "${name}"`);
  }

  replay(): T[] {
    return [...this.records];
  }

  append(record: T): void {
    if (this.closed) throw new Error('the journal is closed');
    if (this.failure) throw this.failure;
    this.records.push(record);
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).add(record);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
    this.pending = this.pending.then(() => done).catch((error: Error) => {
      this.failure = new Error(`the ledger could not be saved in IndexedDB: ${error.message}`);
    });
  }

  /** Resolves once every appended record is stored; rejects if one could not be. */
  async flush(): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.pending.finally(() => this.db.close());
  }
}
