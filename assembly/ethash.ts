// Ethash light cache and dataset items (pow.md 4), the keccak-512 based parts of the DAG.
import { keccak512of32, keccak512of64, keccak512ofXor64 } from './keccak512';

import { FNV_PRIME, DATASET_PARENTS } from './generated/constants';
/** Items computed together: their 256 dependent cache reads overlap in the memory system. */
export const ITEM_GROUP: u32 = 32;
/** Per-group scratch: the mixes, then the parent row addresses and one spare word. */
export const ITEM_MIX_BYTES: usize = (usize(ITEM_GROUP) << 6) + (usize(ITEM_GROUP) << 2) + 64;

/** Light cache of `rows` 64-byte rows from the 32-byte seed hash at `seed`. */
export function makeCache(cache: usize, rows: u32, seed: usize, st: usize): void {
  keccak512of32(cache, seed, st);
  for (let i: u32 = 1; i < rows; i++) {
    keccak512of64(cache + (usize(i) << 6), cache + (usize(i - 1) << 6), st);
  }
  for (let round = 0; round < 3; round++) {
    for (let j: u32 = 0; j < rows; j++) {
      const row = cache + (usize(j) << 6);
      const v = load<u32>(row) % rows;
      const prev = j == 0 ? rows - 1 : j - 1;
      keccak512ofXor64(row, cache + (usize(prev) << 6), cache + (usize(v) << 6), st);
    }
  }
}

/** floor(2^32 / rows): lets `x mod rows` run as a multiply instead of a division. */
export function rowsReciprocal(rows: u32): u64 {
  return 0x100000000 / u64(rows);
}

/** x mod rows for any u32 x; the estimated quotient is low by at most one. */
@inline function modRows(x: u32, rows: u32, recip: u64): u32 {
  let r = x - u32((u64(x) * recip) >> 32) * rows;
  return r >= rows ? r - rows : r;
}

/**
 * Dataset items idx[k] for k < count (u32 indices at idxList) into out + 64k.
 * mixBuf holds ITEM_MIX_BYTES; st is keccak scratch.
 */
export function calcItems(
  idxList: usize, out: usize, count: u32,
  cache: usize, rows: u32, recip: u64,
  mixBuf: usize, st: usize,
): void {
  const prime = i32x4.splat(FNV_PRIME);
  const parents = mixBuf + (usize(ITEM_GROUP) << 6);
  for (let g: u32 = 0; g < count; g += ITEM_GROUP) {
    const n = min(ITEM_GROUP, count - g);
    const idx = idxList + (usize(g) << 2);
    for (let k: u32 = 0; k < n; k++) {
      const i = load<u32>(idx + (usize(k) << 2));
      const m = mixBuf + (usize(k) << 6);
      const row = cache + (usize(modRows(i, rows, recip)) << 6);
      v128.store(m, v128.xor(v128.load(row, 0), i32x4.replace_lane(i32x4.splat(0), 0, i)), 0);
      v128.store(m, v128.load(row, 16), 16);
      v128.store(m, v128.load(row, 32), 32);
      v128.store(m, v128.load(row, 48), 48);
      keccak512of64(m, m, st);
    }
    // All items of the group advance one parent at a time. The parent rows of the whole group
    // are touched first, so their cache misses are all in flight before any is waited for.
    for (let p: u32 = 0; p < DATASET_PARENTS; p++) {
      const word = usize(p & 15) << 2;
      let touched: u32 = 0;
      for (let k: u32 = 0; k < n; k++) {
        const m = mixBuf + (usize(k) << 6);
        const i = load<u32>(idx + (usize(k) << 2));
        const parent = modRows(((i ^ p) * FNV_PRIME) ^ load<u32>(m + word), rows, recip);
        const c = cache + (usize(parent) << 6);
        store<u32>(parents + (usize(k) << 2), c);
        touched ^= load<u32>(c);
      }
      store<u32>(parents, touched, ITEM_GROUP << 2); // keeps the touching loads
      for (let k: u32 = 0; k < n; k++) {
        const m = mixBuf + (usize(k) << 6);
        const c = usize(load<u32>(parents + (usize(k) << 2)));
        v128.store(m, v128.xor(i32x4.mul(v128.load(m, 0), prime), v128.load(c, 0)), 0);
        v128.store(m, v128.xor(i32x4.mul(v128.load(m, 16), prime), v128.load(c, 16)), 16);
        v128.store(m, v128.xor(i32x4.mul(v128.load(m, 32), prime), v128.load(c, 32)), 32);
        v128.store(m, v128.xor(i32x4.mul(v128.load(m, 48), prime), v128.load(c, 48)), 48);
      }
    }
    for (let k: u32 = 0; k < n; k++) {
      keccak512of64(out + (usize(g + k) << 6), mixBuf + (usize(k) << 6), st);
    }
  }
}
