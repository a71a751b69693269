// Where a DAG lives. A DAG that fits stays inside the shared wasm memory. A larger one (every
// mainnet epoch from 385 on: pow.md 8) is split: as much as fits stays inside, the rest is held
// in SharedArrayBuffer chunks outside, and the search has the host copy the entries it needs
// from there into wasm memory through an import (assembly/progpow.ts, loadEntries).
import type { GatherEntries } from './module.js';

/** The inside part and outside chunks are whole multiples of this (one DAG build task). */
export const DAG_SPLIT_ALIGN = 1 << 20;
/** Outside chunks are 1 GiB by default; any power of two from DAG_SPLIT_ALIGN up works. */
export const DEFAULT_CHUNK_SHIFT = 30;
const MIN_CHUNK_SHIFT = 20;

/** wasm: all inside; split: the first part inside, the rest outside; external: all outside. */
export type DagPlacement = 'wasm' | 'split' | 'external';

/**
 * Bytes of a DAG of dagBytes to hold in wasm memory, which has room for `capacity`: 'auto' keeps
 * all of it inside when it fits; 'split' keeps `inside` bytes (default: as many as fit).
 */
export function wasmDagBytesFor(placement: 'auto' | DagPlacement, dagBytes: number, capacity: number, epoch: number, inside = capacity): number {
  switch (placement) {
    case 'auto':
      return dagBytes <= capacity ? dagBytes : capacity;
    case 'wasm':
      if (dagBytes > capacity) throw new RangeError(`the DAG of epoch ${epoch} (${dagBytes} bytes) does not fit in wasm32 memory`);
      return dagBytes;
    case 'split': {
      const aligned = Math.floor(Math.min(inside, capacity, dagBytes - 1) / DAG_SPLIT_ALIGN) * DAG_SPLIT_ALIGN;
      if (aligned <= 0) throw new RangeError('placement split needs at least 1 MiB of the DAG inside wasm memory');
      return aligned;
    }
    case 'external':
      return 0;
  }
}

/** The outside part: chunks of 2^chunkShift bytes (the last one shorter). */
export interface OutsideDag {
  readonly chunks: SharedArrayBuffer[];
  readonly chunkShift: number;
}

/** A DAG of `bytes`: [0, wasmBytes) at wasmBase in wasm memory, the rest in `outside`. */
export interface DagStore {
  readonly placement: DagPlacement;
  readonly bytes: number;
  readonly wasmBase: number;
  readonly wasmBytes: number;
  readonly outside: OutsideDag | undefined;
  /** A view of [offset, offset + length), which must not cross a part or chunk boundary. */
  view(offset: number, length: number): Uint8Array;
  /** Largest length from offset that view() accepts. */
  contiguous(offset: number): number;
}

export function createOutsideDag(bytes: number, chunkShift = DEFAULT_CHUNK_SHIFT): OutsideDag {
  if (!Number.isInteger(chunkShift) || chunkShift < MIN_CHUNK_SHIFT || chunkShift > 30) throw new RangeError(`invalid chunk shift ${chunkShift}`);
  const chunkBytes = 2 ** chunkShift;
  const chunks: SharedArrayBuffer[] = [];
  for (let offset = 0; offset < bytes; offset += chunkBytes) {
    chunks.push(new SharedArrayBuffer(Math.min(chunkBytes, bytes - offset)));
  }
  return { chunks, chunkShift };
}

export function createDagStore(
  memory: WebAssembly.Memory, wasmBase: number, wasmBytes: number, bytes: number, chunkShift = DEFAULT_CHUNK_SHIFT,
): DagStore {
  if (wasmBytes < bytes && wasmBytes % DAG_SPLIT_ALIGN !== 0) throw new RangeError('the inside part of a split DAG must be a whole number of MiB');
  const inside = Math.min(wasmBytes, bytes);
  const outside = inside < bytes ? createOutsideDag(bytes - inside, chunkShift) : undefined;
  const chunkBytes = 2 ** chunkShift;
  const placement: DagPlacement = inside === bytes ? 'wasm' : inside === 0 ? 'external' : 'split';
  return {
    placement, bytes, wasmBase, wasmBytes: inside, outside,
    view(offset, length) {
      if (offset + length <= inside) return new Uint8Array(memory.buffer, wasmBase + offset, length);
      const rel = offset - inside;
      const chunk = Math.floor(rel / chunkBytes);
      const within = rel - chunk * chunkBytes;
      if (rel < 0 || within + length > chunkBytes) throw new RangeError('view crosses a DAG part or chunk boundary');
      return new Uint8Array(outside!.chunks[chunk]!, within, length);
    },
    contiguous(offset) {
      if (offset < inside) return inside - offset;
      return Math.min(bytes - offset, chunkBytes - ((offset - inside) % chunkBytes));
    },
  };
}

/**
 * The gather import of an instance whose DAG has an outside part: `list` holds n pairs
 * (entry index within the outside part, destination address); each 256-byte entry is copied
 * to its destination. Make a new one after the memory grows (it keeps a view of the memory).
 */
export function outsideGather(memory: WebAssembly.Memory, dag: OutsideDag): GatherEntries {
  const words = dag.chunks.map((c) => new Uint32Array(c));
  const heap = new Uint32Array(memory.buffer);
  const entryShift = dag.chunkShift - 8;
  const entryMask = 2 ** entryShift - 1;
  let sink = 0;
  return (listPtr, n) => {
    const list = (listPtr >>> 0) >>> 2;
    // Read one word of each of the entries' cache lines first, so their misses are in flight
    // together; each copy below is a call that would otherwise wait for its own.
    for (let i = 0; i < n; i++) {
      const entry = heap[list + 2 * i]!;
      const chunk = words[entry >>> entryShift]!;
      const from = (entry & entryMask) << 6;
      sink ^= chunk[from]! ^ chunk[from + 16]! ^ chunk[from + 32]! ^ chunk[from + 48]!;
    }
    for (let i = 0; i < n; i++) {
      const entry = heap[list + 2 * i]!;
      const chunk = words[entry >>> entryShift]!;
      const from = (entry & entryMask) << 6;
      heap.set(chunk.subarray(from, from + 64), heap[list + 2 * i + 1]! >>> 2);
    }
    return sink;
  };
}
