// Entry point of the CPU proof-of-work module. The host owns the memory layout: it passes
// every region (scratch, cache, cdag, DAG) as an address, and nothing is allocated in wasm.
import {
  layoutScratch, setCache, setDag,
  keccakState, headerPtr, targetPtr, packedProgramPtr, digestPtr, finalPtr, resultsPtr, itemMixPtr, itemIdxPtr,
  cachePtr, cacheRows, cacheRecip,
} from './context';
import { makeCache, calcItems, ITEM_GROUP } from './ethash';
import { keccak512of64 } from './keccak512';
import { keccakF800 } from './keccak-f800';

export { setProgram } from './program';
export { hashBatch, hashBatchEnds, search, probeMath, probeMerge, probeFillMix } from './progpow';
export { loadRound, useGeneratedRounds } from './rounds';
export { setCache, setDag, keccakF800 };

/** End of the module's static data: host-managed regions must start at or above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of scratch one instance needs (this also resets the layout: call configure next). */
export function scratchSize(batch: u32, results: u32): usize {
  return layoutScratch(0, batch, results);
}

/** Places this instance's scratch at base. */
export function configure(base: usize, batch: u32, results: u32): void {
  layoutScratch(base, batch, results);
}

export function getHeaderPtr(): usize { return headerPtr; }
export function getTargetPtr(): usize { return targetPtr; }
export function getProgramPtr(): usize { return packedProgramPtr; }
export function getDigestPtr(): usize { return digestPtr; }
export function getFinalPtr(): usize { return finalPtr; }
export function getResultsPtr(): usize { return resultsPtr; }

/** Light cache of `rows` rows at `cache` from the seed hash at `seed`. */
export function buildCache(cache: usize, rows: u32, seed: usize): void {
  makeCache(cache, rows, seed, keccakState);
}

/** keccak512 of the 64 bytes at src into dst. */
export function keccak512(dst: usize, src: usize): void {
  keccak512of64(dst, src, keccakState);
}

/** Dataset items first .. first+count-1 into dst (64 bytes each), from the cache set with setCache. */
export function buildItems(dst: usize, first: u32, count: u32): void {
  for (let done: u32 = 0; done < count; done += ITEM_GROUP) {
    const n = min(ITEM_GROUP, count - done);
    for (let k: u32 = 0; k < n; k++) store<u32>(itemIdxPtr + (usize(k) << 2), first + done + k);
    calcItems(itemIdxPtr, dst + (usize(done) << 6), n, cachePtr, cacheRows, cacheRecip, itemMixPtr, keccakState);
  }
}
