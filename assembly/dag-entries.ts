// The DAG entries of one loop iteration for every nonce of a batch: each nonce's entry index
// from its mix, the 256 bytes brought in from wasm memory, from the host (the part of a DAG
// beyond 4 GiB) or computed from the light cache, all of them before any is used.
import { calcItems } from './ethash';
import { LANE_MASK } from './batch-ops';
import {
  MIX_BYTES, ENTRY_BYTES, itemMixPtr, itemIdxPtr, keccakState, basesPtr, mixPtr, entryPtr,
  cachePtr, cacheRows, cacheRecip, dagPtr, dagEntries, dagWasmEntries, dagLight,
} from './context';

/**
 * Host hook for the part of a DAG held outside wasm memory (mainnet DAGs exceed wasm32's
 * 4 GiB): `list` holds n pairs (entry index counted from the first outside entry,
 * destination address); the host copies each 256-byte entry to its destination.
 */
@external("env", "gatherEntries")
declare function gatherEntries(list: usize, n: u32): void;

/** 256-byte copy in registers (memory.copy is a call out of wasm). */
@inline function copy256(dst: usize, src: usize): void {
  for (let o: usize = 0; o < ENTRY_BYTES; o += 64) {
    const a = v128.load(src + o, 0);
    const b = v128.load(src + o, 16);
    const c = v128.load(src + o, 32);
    const d = v128.load(src + o, 48);
    v128.store(dst + o, a, 0);
    v128.store(dst + o, b, 16);
    v128.store(dst + o, c, 32);
    v128.store(dst + o, d, 48);
  }
}

/** Brings entry bases[k] of every nonce into entryPtr + 256k. */
/**
 * Loads one word of each 64-byte line of the batch's entries held in wasm memory. Loads alone
 * keep every miss of the batch in flight together; copying right away would not, as the
 * copies' stores wait on their loads and fill the store queue after a few entries.
 */
function touchEntries(n: u32): void {
  let sink: u32 = 0;
  for (let k: usize = 0; k < usize(n); k++) {
    const base = load<u32>(basesPtr + (k << 2));
    if (base >= dagWasmEntries) continue;
    const src = dagPtr + usize(base) * ENTRY_BYTES;
    sink ^= load<u32>(src, 0) ^ load<u32>(src, 64) ^ load<u32>(src, 128) ^ load<u32>(src, 192);
  }
  store<u32>(itemIdxPtr, sink); // used, so the loads stay
}

/**
 * Brings in the entries of the batch: those held in wasm memory are copied to entryPtr + 256k
 * (or, with copyInside false, only touched: entryAddress then gives their place in the DAG);
 * the others are gathered there by the host or computed from the light cache.
 */
export function loadEntries(n: u32, copyInside: bool = true): void {
  if (!dagLight) {
    touchEntries(n);
    let outside: u32 = 0;
    for (let k: usize = 0; k < usize(n); k++) {
      const base = load<u32>(basesPtr + (k << 2));
      const dst = entryPtr + k * ENTRY_BYTES;
      if (base < dagWasmEntries) {
        if (copyInside) copy256(dst, dagPtr + usize(base) * ENTRY_BYTES);
      } else {
        const pair = itemIdxPtr + (usize(outside) << 3);
        store<u32>(pair, base - dagWasmEntries, 0);
        store<u32>(pair, dst, 4);
        outside++;
      }
    }
    if (outside) gatherEntries(itemIdxPtr, outside);
  } else {
    for (let k: usize = 0; k < usize(n); k++) {
      const first = load<u32>(basesPtr + (k << 2)) << 2;
      for (let j: usize = 0; j < 4; j++) store<u32>(itemIdxPtr + (((k << 2) + j) << 2), first + u32(j));
    }
    calcItems(itemIdxPtr, entryPtr, n << 2, cachePtr, cacheRows, cacheRecip, itemMixPtr, keccakState);
  }
}

/** Where entry k of the batch is after loadEntries(n, false). */
@inline export function entryAddress(k: usize): usize {
  const base = load<u32>(basesPtr + (k << 2));
  return !dagLight && base < dagWasmEntries ? dagPtr + usize(base) * ENTRY_BYTES : entryPtr + k * ENTRY_BYTES;
}

/** Entry index of iteration r for each nonce: register 0 of lane r mod 16, modulo the entries. */
export function setBases(r: u32, n: u32): void {
  const word0 = usize(r & LANE_MASK) << 2;
  for (let k: usize = 0; k < usize(n); k++) {
    store<u32>(basesPtr + (k << 2), load<u32>(mixPtr + k * MIX_BYTES + word0) % dagEntries);
  }
}
