// One ProgPoW operation (pow.md 5.1) applied to every lane of every nonce of the batch with
// 128-bit SIMD: cache reads, random math and DAG words go to tmp, and merges fold tmp into a
// register.
import { FNV_PRIME, PROGPOW_CACHE_WORDS, PROGPOW_LANES } from './generated/constants';
import { MIX_BYTES, ENTRY_BYTES, mixPtr, tmpPtr, entryPtr, cdagPtr } from './context';

const CACHE_MASK: u32 = PROGPOW_CACHE_WORDS - 1;
/** Lane index mask: lane (l ^ r) mod PROGPOW_LANES. */
export const LANE_MASK: u32 = PROGPOW_LANES - 1;

// ---- lanewise primitives ---------------------------------------------------------------

@inline export function fnv1aVec(h: v128, d: v128): v128 {
  return i32x4.mul(v128.xor(h, d), i32x4.splat(FNV_PRIME));
}

@inline function times33(a: v128): v128 {
  return i32x4.add(i32x4.shl(a, 5), a);
}

@inline function rotlLanes(a: v128, b: v128): v128 {
  let r = i32x4.splat(rotl<u32>(i32x4.extract_lane(a, 0), i32x4.extract_lane(b, 0)));
  r = i32x4.replace_lane(r, 1, rotl<u32>(i32x4.extract_lane(a, 1), i32x4.extract_lane(b, 1)));
  r = i32x4.replace_lane(r, 2, rotl<u32>(i32x4.extract_lane(a, 2), i32x4.extract_lane(b, 2)));
  return i32x4.replace_lane(r, 3, rotl<u32>(i32x4.extract_lane(a, 3), i32x4.extract_lane(b, 3)));
}

@inline function rotrLanes(a: v128, b: v128): v128 {
  let r = i32x4.splat(rotr<u32>(i32x4.extract_lane(a, 0), i32x4.extract_lane(b, 0)));
  r = i32x4.replace_lane(r, 1, rotr<u32>(i32x4.extract_lane(a, 1), i32x4.extract_lane(b, 1)));
  r = i32x4.replace_lane(r, 2, rotr<u32>(i32x4.extract_lane(a, 2), i32x4.extract_lane(b, 2)));
  return i32x4.replace_lane(r, 3, rotr<u32>(i32x4.extract_lane(a, 3), i32x4.extract_lane(b, 3)));
}

@inline function clzSumLanes(a: v128, b: v128): v128 {
  let r = i32x4.splat(clz<u32>(i32x4.extract_lane(a, 0)) + clz<u32>(i32x4.extract_lane(b, 0)));
  r = i32x4.replace_lane(r, 1, clz<u32>(i32x4.extract_lane(a, 1)) + clz<u32>(i32x4.extract_lane(b, 1)));
  r = i32x4.replace_lane(r, 2, clz<u32>(i32x4.extract_lane(a, 2)) + clz<u32>(i32x4.extract_lane(b, 2)));
  return i32x4.replace_lane(r, 3, clz<u32>(i32x4.extract_lane(a, 3)) + clz<u32>(i32x4.extract_lane(b, 3)));
}

@inline function popcntSumLanes(a: v128, b: v128): v128 {
  const bytes = i8x16.add(i8x16.popcnt(a), i8x16.popcnt(b));
  return i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(bytes));
}

@inline function mulHiLanes(a: v128, b: v128): v128 {
  const lo = i64x2.extmul_low_i32x4_u(a, b);
  const hi = i64x2.extmul_high_i32x4_u(a, b);
  return v128.shuffle<u32>(lo, hi, 1, 3, 5, 7);
}

// ---- one op over the whole batch -------------------------------------------------------

/** tmp[k] <- math(mix[k][a], mix[k][b]) for every nonce k < n (pow.md 5.1). */
export function mathToTmp(kind: u32, a: usize, b: usize, n: u32): void {
  const end = usize(n) * MIX_BYTES;
  switch (kind) {
    case 0: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, i32x4.add(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 1: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, i32x4.mul(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 2: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, mulHiLanes(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 3: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, i32x4.min_u(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 4: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, rotlLanes(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 5: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, rotrLanes(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 6: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, v128.and(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 7: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, v128.or(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 8: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, v128.xor(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    case 9: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, clzSumLanes(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
    default: for (let m: usize = 0, t = tmpPtr; m < end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(t + v, popcntSumLanes(v128.load(mixPtr + m + a + v), v128.load(mixPtr + m + b + v))); break;
  }
}

/** tmp[k] <- cdag[mix[k][src] mod 4096] lanewise. */
export function cacheToTmp(src: usize, n: u32): void {
  const cdag = cdagPtr;
  for (let k: usize = 0; k < usize(n); k++) {
    const s = mixPtr + k * MIX_BYTES + src;
    const t = tmpPtr + (k << 6);
    for (let v: usize = 0; v < 64; v += 16) {
      let g = v128.load32_zero(cdag + ((load<u32>(s + v, 0) & CACHE_MASK) << 2));
      g = v128.load32_lane(cdag + ((load<u32>(s + v, 4) & CACHE_MASK) << 2), g, 1);
      g = v128.load32_lane(cdag + ((load<u32>(s + v, 8) & CACHE_MASK) << 2), g, 2);
      g = v128.load32_lane(cdag + ((load<u32>(s + v, 12) & CACHE_MASK) << 2), g, 3);
      v128.store(t + v, g);
    }
  }
}

/** tmp[k] lane l <- entry[k] word ((l ^ r) mod 16) * 4 + i: the DAG word lane l merges in load i. */
export function entryToTmp(i: u32, r: u32, n: u32): void {
  for (let k: usize = 0; k < usize(n); k++) {
    const e = entryPtr + k * ENTRY_BYTES + (usize(i) << 2);
    const t = tmpPtr + (k << 6);
    for (let l: u32 = 0; l < PROGPOW_LANES; l += 4) {
      let g = v128.load32_zero(e + (usize((l ^ r) & LANE_MASK) << 4));
      g = v128.load32_lane(e + (usize(((l + 1) ^ r) & LANE_MASK) << 4), g, 1);
      g = v128.load32_lane(e + (usize(((l + 2) ^ r) & LANE_MASK) << 4), g, 2);
      g = v128.load32_lane(e + (usize(((l + 3) ^ r) & LANE_MASK) << 4), g, 3);
      v128.store(t + (usize(l) << 2), g);
    }
  }
}

/** mix[k][dst] <- merge(mix[k][dst], tmp[k], kind, rot) for every nonce (pow.md 5.1). */
export function mergeFromTmp(dst: usize, kind: u32, rot: u32, n: u32): void {
  const end = usize(n) * MIX_BYTES;
  const back = 32 - rot;
  switch (kind) {
    case 0: for (let m: usize = mixPtr + dst, t = tmpPtr; m < mixPtr + dst + end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(m + v, i32x4.add(times33(v128.load(m + v)), v128.load(t + v))); break;
    case 1: for (let m: usize = mixPtr + dst, t = tmpPtr; m < mixPtr + dst + end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) v128.store(m + v, times33(v128.xor(v128.load(m + v), v128.load(t + v)))); break;
    case 2: for (let m: usize = mixPtr + dst, t = tmpPtr; m < mixPtr + dst + end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) { const a = v128.load(m + v); v128.store(m + v, v128.xor(v128.or(i32x4.shl(a, rot), i32x4.shr_u(a, back)), v128.load(t + v))); } break;
    default: for (let m: usize = mixPtr + dst, t = tmpPtr; m < mixPtr + dst + end; m += MIX_BYTES, t += 64) for (let v: usize = 0; v < 64; v += 16) { const a = v128.load(m + v); v128.store(m + v, v128.xor(v128.or(i32x4.shr_u(a, rot), i32x4.shl(a, back)), v128.load(t + v))); } break;
  }
}
