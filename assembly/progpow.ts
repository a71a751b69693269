// ProgPoW 0.9.2 (pow.md 5) over a batch of nonces run in lockstep, and the nonce search.
// The loop iterations run in the period's generated module when the host has linked one
// (rounds.ts). Otherwise the program arrives as data (the packed form produced in TypeScript,
// decoded by program.ts) and is interpreted here: each op is dispatched once and then applied
// to every lane of every nonce in the batch with 128-bit SIMD (batch-ops.ts), which amortises
// the dispatch. Either way the DAG reads of all nonces are in flight together (dag-entries.ts).
import { keccakF800 } from './keccak-f800';
import {
  FNV_OFFSET, FNV_PRIME, PROGPOW_LANES, PROGPOW_REGS, PROGPOW_CNT_DAG, PROGPOW_DAG_LOADS, OP_CACHE, RESULT_HEADER_BYTES, RESULT_BYTES,
} from './generated/constants';
import {
  MIX_BYTES, OP_BYTES, DAG_OP_BYTES,
  f800State, headerPtr, targetPtr, programPtr, seedsPtr, mixPtr, tmpPtr, digestPtr, finalPtr, resultsPtr, batchMax, resultsMax,
} from './context';
import { opCount } from './program';
import { fnv1aVec, mathToTmp, cacheToTmp, entryToTmp, mergeFromTmp } from './batch-ops';
import { setBases, loadEntries } from './dag-entries';
import { runGeneratedRounds } from './rounds';

// ---- keccak-f800 ends --------------------------------------------------------------------

/** Keccak-f800 over header, (lo, hi) and the 8 digest words (or zeros); result in f800State. */
function keccakProgpow(lo: u32, hi: u32, digest: usize): void {
  const st = f800State;
  v128.store(st, v128.load(headerPtr, 0), 0);
  v128.store(st, v128.load(headerPtr, 16), 16);
  store<u32>(st, lo, 32);
  store<u32>(st, hi, 36);
  if (digest) {
    v128.store(st, v128.load(digest, 0), 40);
    v128.store(st, v128.load(digest, 16), 56);
  } else {
    v128.store(st, i32x4.splat(0), 40);
    v128.store(st, i32x4.splat(0), 56);
  }
  v128.store(st, i32x4.splat(0), 72);
  v128.store(st, i32x4.splat(0), 84); // bytes 72..99
  keccakF800(st);
}

/** Initial mix of one nonce: lane l register i is the i-th KISS99 output of the lane's seed. */
function fillMix(mix: usize, seedLo: u32, seedHi: u32): void {
  const prime = i32x4.splat(FNV_PRIME);
  const z0 = (FNV_OFFSET ^ seedLo) * FNV_PRIME;
  const w0 = (z0 ^ seedHi) * FNV_PRIME;
  const c36969 = i32x4.splat(36969);
  const c18000 = i32x4.splat(18000);
  const c69069 = i32x4.splat(69069);
  const c1234567 = i32x4.splat(1234567);
  const low16 = i32x4.splat(0xffff);
  for (let g: u32 = 0; g < PROGPOW_LANES; g += 4) {
    let lanes = i32x4.splat(g);
    lanes = i32x4.add(lanes, v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
    let z = i32x4.splat(z0);
    let w = i32x4.splat(w0);
    let jsr = i32x4.mul(v128.xor(w, lanes), prime);
    let jcong = i32x4.mul(v128.xor(jsr, lanes), prime);
    for (let i: usize = 0; i < PROGPOW_REGS; i++) {
      z = i32x4.add(i32x4.mul(v128.and(z, low16), c36969), i32x4.shr_u(z, 16));
      w = i32x4.add(i32x4.mul(v128.and(w, low16), c18000), i32x4.shr_u(w, 16));
      const mwc = i32x4.add(i32x4.shl(z, 16), w);
      jsr = v128.xor(jsr, i32x4.shl(jsr, 17));
      jsr = v128.xor(jsr, i32x4.shr_u(jsr, 13));
      jsr = v128.xor(jsr, i32x4.shl(jsr, 5));
      jcong = i32x4.add(i32x4.mul(jcong, c69069), c1234567);
      v128.store(mix + (i << 6) + (usize(g) << 2), i32x4.add(v128.xor(mwc, jcong), jsr));
    }
  }
}

/** Lane hashes folded into the 8 digest words (pow.md 5.3, reduce). */
function reduceMix(mix: usize, digest: usize): void {
  let h0 = i32x4.splat(FNV_OFFSET);
  let h1 = h0, h2 = h0, h3 = h0;
  for (let i: usize = 0; i < PROGPOW_REGS; i++) {
    const reg = mix + (i << 6);
    h0 = fnv1aVec(h0, v128.load(reg, 0));
    h1 = fnv1aVec(h1, v128.load(reg, 16));
    h2 = fnv1aVec(h2, v128.load(reg, 32));
    h3 = fnv1aVec(h3, v128.load(reg, 48));
  }
  const offset = i32x4.splat(FNV_OFFSET);
  v128.store(digest, fnv1aVec(fnv1aVec(offset, h0), h2), 0);
  v128.store(digest, fnv1aVec(fnv1aVec(offset, h1), h3), 16);
}

// ---- hashing -----------------------------------------------------------------------------

/** Seeds and initial mixes of nonces start .. start+n-1. */
function beginBatch(start: u64, n: u32): void {
  for (let k: u32 = 0; k < n; k++) {
    const nonce = start + u64(k);
    keccakProgpow(u32(nonce), u32(nonce >> 32), 0);
    const seedHi = bswap<u32>(load<u32>(f800State, 0));
    const seedLo = bswap<u32>(load<u32>(f800State, 4));
    store<u32>(seedsPtr + (usize(k) << 3), seedLo, 0);
    store<u32>(seedsPtr + (usize(k) << 3), seedHi, 4);
    fillMix(mixPtr + usize(k) * MIX_BYTES, seedLo, seedHi);
  }
}

/** The 64 loop iterations, interpreting the decoded program. */
function interpretRounds(n: u32): void {
  const dag = programPtr + usize(opCount) * OP_BYTES;
  for (let r: u32 = 0; r < PROGPOW_CNT_DAG; r++) {
    setBases(r, n);
    loadEntries(n);
    for (let o: usize = 0; o < usize(opCount); o++) {
      const op = programPtr + o * OP_BYTES;
      if (load<u32>(op, 0) == OP_CACHE) {
        cacheToTmp(load<u32>(op, 4), n);
      } else {
        mathToTmp(load<u32>(op, 16), load<u32>(op, 4), load<u32>(op, 8), n);
      }
      mergeFromTmp(load<u32>(op, 12), load<u32>(op, 20), load<u32>(op, 24), n);
    }
    for (let i: u32 = 0; i < PROGPOW_DAG_LOADS; i++) {
      const d = dag + usize(i) * DAG_OP_BYTES;
      entryToTmp(i, r, n);
      mergeFromTmp(load<u32>(d, 0), load<u32>(d, 4), load<u32>(d, 8), n);
    }
  }
}

/** Digests and final hashes from the mixes. */
function endBatch(n: u32): void {
  for (let k: usize = 0; k < usize(n); k++) {
    const digest = digestPtr + (k << 5);
    reduceMix(mixPtr + k * MIX_BYTES, digest);
    keccakProgpow(load<u32>(seedsPtr + (k << 3), 0), load<u32>(seedsPtr + (k << 3), 4), digest);
    const fin = finalPtr + (k << 5);
    v128.store(fin, v128.load(f800State, 0), 0);
    v128.store(fin, v128.load(f800State, 16), 16);
  }
}

/**
 * mixDigest and final hash of nonces start .. start+n-1 (n <= batchMax) into digestPtr/finalPtr:
 * the loop iterations run in the period's generated module when the host has set one, else
 * here by interpreting the program.
 */
export function hashBatch(start: u64, n: u32): void {
  beginBatch(start, n);
  if (!runGeneratedRounds(n)) interpretRounds(n);
  endBatch(n);
}

/** hashBatch without the loop iterations: what a hash costs besides them (for the compute bound). */
export function hashBatchEnds(start: u64, n: u32): void {
  beginBatch(start, n);
  endBatch(n);
}

/** Big-endian 256-bit compare of a final hash (8 LE words) with the target (8 words, most significant first). */
@inline function meetsTarget(fin: usize): bool {
  for (let i: usize = 0; i < 8; i++) {
    const f = bswap<u32>(load<u32>(fin + (i << 2)));
    const t = load<u32>(targetPtr + (i << 2));
    if (f != t) return f < t;
  }
  return true;
}

/**
 * Hashes up to `count` nonces from start and appends those at or below the target to the
 * result buffer. Returns the number hashed: fewer when the i32 at stopFlag turns non-zero
 * or the result buffer has no room for another batch (the host drains it and calls again).
 */
export function search(start: u64, count: u32, stopFlag: usize): u32 {
  let done: u32 = 0;
  while (done < count) {
    if (atomic.load<i32>(stopFlag) != 0) break;
    let found = load<u32>(resultsPtr);
    if (found + batchMax > resultsMax) break;
    const n = min(batchMax, count - done);
    const first = start + u64(done);
    hashBatch(first, n);
    for (let k: u32 = 0; k < n; k++) {
      const fin = finalPtr + (usize(k) << 5);
      if (!meetsTarget(fin)) continue;
      const rec = resultsPtr + RESULT_HEADER_BYTES + usize(found) * RESULT_BYTES;
      const nonce = first + u64(k);
      store<u32>(rec, u32(nonce), 0);
      store<u32>(rec, u32(nonce >> 32), 4);
      const digest = digestPtr + (usize(k) << 5);
      v128.store(rec, v128.load(digest, 0), 8);
      v128.store(rec, v128.load(digest, 16), 24);
      v128.store(rec, v128.load(fin, 0), 40);
      v128.store(rec, v128.load(fin, 16), 56);
      found++;
    }
    store<u32>(resultsPtr, found);
    done += n;
  }
  return done;
}

// ---- probes for the vector tests: the same code paths on one nonce, every lane equal ----

@inline function splatRegister(reg: usize, value: u32): void {
  const v = i32x4.splat(value);
  for (let o: usize = 0; o < 64; o += 16) v128.store(mixPtr + (reg << 6) + o, v);
}

/** math(a, b, r) through the batch code (register 0 = a, 1 = b); returns the 16 result lanes' address. */
export function probeMath(a: u32, b: u32, r: u32): usize {
  splatRegister(0, a);
  splatRegister(1, b);
  mathToTmp(r % 11, 0, 64, 1);
  return tmpPtr;
}

/** merge(a, b, r) through the batch code (register 0 = a, tmp = b); returns register 0's address. */
export function probeMerge(a: u32, b: u32, r: u32): usize {
  splatRegister(0, a);
  for (let o: usize = 0; o < 64; o += 16) v128.store(tmpPtr + o, i32x4.splat(b));
  mergeFromTmp(0, r & 3, ((r >> 16) % 31) + 1, 1);
  return mixPtr;
}

/** Initial mix of one nonce seed into the first mix slot: lane l register i at mixPtr + 64i + 4l. */
export function probeFillMix(seedLo: u32, seedHi: u32): usize {
  fillMix(mixPtr, seedLo, seedHi);
  return mixPtr;
}
