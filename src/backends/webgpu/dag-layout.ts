// How a DAG is split over storage buffers: whole 256-byte entries per buffer, so no entry
// straddles two bindings, and each buffer within the binding and buffer size limits.
import { DAG_ENTRY_BYTES, dagEntries, HASH_BYTES } from '../../pow/epoch.js';
import { PROGPOW_CACHE_BYTES } from '../../pow/progpow-program.js';

/** Items (64 bytes) per ProgPoW entry (256 bytes). */
export const ITEMS_PER_ENTRY = DAG_ENTRY_BYTES / HASH_BYTES;

export interface DagLayout {
  /** 256-byte entries ProgPoW addresses: floor(datasetSize / 256). */
  readonly entries: number;
  /** Entries in every buffer but the last. */
  readonly entriesPerChunk: number;
  /** Entries in each buffer. */
  readonly chunkEntries: readonly number[];
  readonly totalBytes: number;
}

export function planDagLayout(datasetSize: number, maxBindingBytes: number, maxBufferBytes = maxBindingBytes): DagLayout {
  const entries = dagEntries(datasetSize);
  const perChunk = Math.floor(Math.min(maxBindingBytes, maxBufferBytes) / DAG_ENTRY_BYTES);
  // The ProgPoW cache, the first 16 KiB of the DAG, is read from the first buffer.
  if (perChunk * DAG_ENTRY_BYTES < PROGPOW_CACHE_BYTES) {
    throw new RangeError(`a storage binding of ${maxBindingBytes} bytes cannot hold the ${PROGPOW_CACHE_BYTES / 1024} KiB ProgPoW cache`);
  }
  const entriesPerChunk = Math.min(perChunk, entries);
  const chunkEntries: number[] = [];
  for (let first = 0; first < entries; first += entriesPerChunk) chunkEntries.push(Math.min(entriesPerChunk, entries - first));
  return { entries, entriesPerChunk, chunkEntries, totalBytes: entries * DAG_ENTRY_BYTES };
}

/** Which buffer holds an entry, and the entry's index inside it. */
export function locateEntry(layout: DagLayout, entry: number): { chunk: number; index: number } {
  const chunk = Math.floor(entry / layout.entriesPerChunk);
  return { chunk, index: entry - chunk * layout.entriesPerChunk };
}
