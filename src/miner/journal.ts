// An append-only JSON-lines journal with fsync per record: what was written survives a crash,
// and a record torn by a crash mid-write (the last line) is dropped on replay.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Where a journal's records live: this file journal in Node, IndexedDB in the browser page. */
export interface JournalStore<T> {
  /** Every intact record, in order. */
  replay(): T[];
  /** Appends one record; it survives a crash once the call returns (or, asynchronous stores, once flushed). */
  append(record: T): void;
  close(): void;
}

export class Journal<T> implements JournalStore<T> {
  private fd: number | undefined;

  constructor(readonly file: string) {}

  /** Every intact record, in order. */
  replay(): T[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const records: T[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch (err) {
        if (i === lines.length - 1) break; // torn final write
        throw new Error(`${this.file}:${i + 1}: corrupt journal record: ${(err as Error).message}`);
      }
    }
    return records;
  }

  append(record: T): void {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.dropTornTail();
      this.fd = openSync(this.file, 'a');
    }
    writeSync(this.fd, JSON.stringify(record) + '\n');
    fsyncSync(this.fd);
  }

  /** A record torn by a crash was never complete: cut it off so the next record starts clean. */
  private dropTornTail(): void {
    if (!existsSync(this.file)) return;
    const bytes = readFileSync(this.file);
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) truncateSync(this.file, bytes.lastIndexOf(0x0a) + 1);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
