// Per-instance configuration. Every worker instantiates the module on the same shared
// memory; wasm globals stay private to an instance, so each one keeps its own scratch
// pointers here and nothing is ever allocated inside wasm.
import { rowsReciprocal, ITEM_GROUP, ITEM_MIX_BYTES } from './ethash';
import {
  PROGPOW_DAG_LOADS, PACKED_OP_WORDS, MAX_PROGRAM_OPS, RESULT_HEADER_BYTES, RESULT_BYTES, MIX_BYTES, ENTRY_BYTES,
} from './generated/constants';

/** Bytes of one nonce's mix (registers x lanes x u32, register-major) and of one DAG entry (every lane's DAG words). */
export { MIX_BYTES, ENTRY_BYTES };
/** Decoded op: [kind, srcA offset, srcB offset, dst offset, math kind, merge kind, merge rotation, 0]. */
export const OP_BYTES: usize = 32;
/** Decoded DAG merge: [dst offset, merge kind, merge rotation, 0]. */
export const DAG_OP_BYTES: usize = 16;

export let keccakState: usize = 0;
export let f800State: usize = 0;
export let headerPtr: usize = 0;
export let targetPtr: usize = 0;
export let packedProgramPtr: usize = 0;
export let programPtr: usize = 0;
export let itemMixPtr: usize = 0;
export let itemIdxPtr: usize = 0;
export let seedsPtr: usize = 0;
export let basesPtr: usize = 0;
export let mixPtr: usize = 0;
export let tmpPtr: usize = 0;
export let entryPtr: usize = 0;
/** The DAG words of the iteration in lane order, for the period's generated module (rounds.ts). */
export let laneEntryPtr: usize = 0;
export let digestPtr: usize = 0;
export let finalPtr: usize = 0;
export let resultsPtr: usize = 0;
export let batchMax: u32 = 0;
export let resultsMax: u32 = 0;

export let cachePtr: usize = 0;
export let cacheRows: u32 = 0;
export let cacheRecip: u64 = 0;
export let cdagPtr: usize = 0;
export let dagPtr: usize = 0;
export let dagEntries: u32 = 0;
/** Entries below this index lie in this memory at dagPtr; the host copies in the others. */
export let dagWasmEntries: u32 = 0;
/** Entries are computed from the light cache instead of read from a DAG. */
export let dagLight: bool = true;

@inline function align64(n: usize): usize {
  return (n + 63) & ~63;
}

/** Lays out (when base != 0) and measures this instance's scratch area. */
export function layoutScratch(base: usize, batch: u32, results: u32): usize {
  let p = base;
  p = align64(p);
  keccakState = p; p += 256;
  f800State = p; p += 128;
  headerPtr = p; p += 64;
  targetPtr = p; p += 64;
  packedProgramPtr = p; p += align64((MAX_PROGRAM_OPS * PACKED_OP_WORDS + 2 * PROGPOW_DAG_LOADS) << 2);
  programPtr = p; p += align64(usize(MAX_PROGRAM_OPS) * OP_BYTES + usize(PROGPOW_DAG_LOADS) * DAG_OP_BYTES);
  itemMixPtr = p; p += align64(ITEM_MIX_BYTES);
  itemIdxPtr = p; p += align64(usize(max(batch * 4, ITEM_GROUP)) << 2);
  seedsPtr = p; p += align64(usize(batch) << 3);
  basesPtr = p; p += align64(usize(batch) << 2);
  mixPtr = p; p += usize(batch) * MIX_BYTES;
  tmpPtr = p; p += usize(batch) << 6;
  entryPtr = p; p += usize(batch) * ENTRY_BYTES;
  laneEntryPtr = p; p += usize(batch) * ENTRY_BYTES;
  digestPtr = p; p += usize(batch) << 5;
  finalPtr = p; p += usize(batch) << 5;
  resultsPtr = p; p += align64(usize(RESULT_HEADER_BYTES) + usize(results) * RESULT_BYTES);
  batchMax = batch;
  resultsMax = results;
  return p - base;
}

export function setCache(cache: usize, rows: u32): void {
  cachePtr = cache;
  cacheRows = rows;
  cacheRecip = rowsReciprocal(rows);
}

/**
 * DAG of `entries` 256-byte entries; the first wasmEntries at dag in this memory (all of them
 * when the DAG fits in wasm32 memory). light: ignore the DAG and compute entries from the cache.
 */
export function setDag(cdag: usize, dag: usize, entries: u32, wasmEntries: u32, light: bool): void {
  cdagPtr = cdag;
  dagPtr = dag;
  dagEntries = entries;
  dagWasmEntries = wasmEntries;
  dagLight = light;
}
