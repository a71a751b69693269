// An append-only JSON-lines journal with fsync per record: what was written survives a crash.
// A record torn by a crash mid-write (the last line) is reported and cut off before the next
// append; a bad line anywhere else means the file was damaged, and replay refuses it. A write that
// fails part way is cut off again, so a record written later never follows half a line.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** A damaged journal: a line before the last is not a record. */
export class JournalCorruptError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: corrupt journal record (${reason}); the file was damaged: repair or move it away`);
    this.name = 'JournalCorruptError';
  }
}

/** The last line, cut short by a crash in the middle of writing it. */
export interface TornRecord {
  readonly file: string;
  readonly line: number;
  /** What was written of it. */
  readonly text: string;
}

/** Where a journal's records live: this file journal in Node, IndexedDB in the browser page. */
export interface JournalStore<T> {
  /** Where the records are written (a file's path), as the user is told it. */
  readonly location: string;
  /** Every intact record, in order. */
  replay(): T[];
  /** Set by replay() when a crash tore the last record (a file journal's risk). */
  readonly torn?: TornRecord;
  /** Makes it ready for appends now (a file: its directory created, the file opened); throws when it cannot be written. */
  open?(): void;
  /** Appends one record; it survives a crash once the call returns (or, asynchronous stores, once flushed). */
  append(record: T): void;
  close(): void;
}

export class Journal<T> implements JournalStore<T> {
  private fd: number | undefined;
  /** Bytes of whole records in the file: where a failed write is cut back to. */
  private size = 0;
  torn: TornRecord | undefined;

  constructor(readonly file: string) {}

  get location(): string {
    return this.file;
  }

  /** Every intact record in order; a torn final record is left out and kept in `torn`. Throws JournalCorruptError. */
  replay(): T[] {
    this.torn = undefined;
    if (!existsSync(this.file)) return [];
    const text = readFileSync(this.file, 'utf8');
    const lines = text.split('\n');
    const records: T[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch (err) {
        // Only the final line can be torn: every record before it ended with its newline.
        if (i === lines.length - 1) {
          this.torn = { file: this.file, line: i + 1, text: line };
          break;
        }
        throw new JournalCorruptError(this.file, i + 1, (err as Error).message);
      }
    }
    return records;
  }

  open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.dropTornTail();
    const fd = openSync(this.file, 'a');
    try {
      this.size = fstatSync(fd).size;
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }

  append(record: T): void {
    this.open();
    const fd = this.fd!;
    const bytes = new TextEncoder().encode(JSON.stringify(record) + '\n');
    try {
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
      this.size += bytes.length;
    } catch (err) {
      // what did reach the file is cut off; the next append opens it afresh
      try {
        ftruncateSync(fd, this.size);
      } catch {
        // reopening drops a torn tail all the same
      }
      this.fd = undefined;
      try {
        closeSync(fd);
      } catch {
        // the descriptor is gone either way
      }
      throw err;
    }
  }

  /**
   * A record torn by a crash was never complete: cut it off so the next record starts clean.
   * (A whole record that only lacks its newline is kept and ended.)
   */
  private dropTornTail(): void {
    if (!existsSync(this.file)) return;
    const bytes = readFileSync(this.file);
    if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
    const lineStart = bytes.lastIndexOf(0x0a) + 1;
    try {
      JSON.parse(bytes.subarray(lineStart).toString('utf8'));
      writeFileSync(this.file, '\n', { flag: 'a' });
    } catch {
      truncateSync(this.file, lineStart);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
