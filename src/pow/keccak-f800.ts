// Keccak-f[800] as ProgPoW uses it (pow.md 3.3): 22 rounds, 18 absorbed words, no padding.
import { KECCAK_F800_RC, KECCAK_F800_ROUNDS } from './keccak-round-constants.js';

const RC = Uint32Array.from(KECCAK_F800_RC);
const PI = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];
const RHO = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44].map((r) => r % 32);

function rotl(x: number, n: number): number {
  return n === 0 ? x >>> 0 : ((x << n) | (x >>> (32 - n))) >>> 0;
}

export function keccakF800(a: Uint32Array): void {
  const c = new Uint32Array(5);
  for (let round = 0; round < KECCAK_F800_ROUNDS; round++) {
    for (let x = 0; x < 5; x++) c[x] = a[x]! ^ a[x + 5]! ^ a[x + 10]! ^ a[x + 15]! ^ a[x + 20]!;
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) a[x + y]! ^= d;
    }
    let t = a[1]!;
    for (let i = 0; i < 24; i++) {
      const j = PI[i]!;
      const tmp = a[j]!;
      a[j] = rotl(t, RHO[i]!);
      t = tmp;
    }
    for (let y = 0; y < 25; y += 5) {
      const b0 = a[y]!, b1 = a[y + 1]!, b2 = a[y + 2]!, b3 = a[y + 3]!, b4 = a[y + 4]!;
      a[y] = b0 ^ (~b1 & b2);
      a[y + 1] = b1 ^ (~b2 & b3);
      a[y + 2] = b2 ^ (~b3 & b4);
      a[y + 3] = b3 ^ (~b4 & b0);
      a[y + 4] = b4 ^ (~b0 & b1);
    }
    a[0]! ^= RC[round]!;
  }
}

/** The ProgPoW absorb: header words, the 64-bit value as (lo, hi), then the 8 digest words. */
export function keccakProgpow(header: Uint32Array, lo: number, hi: number, digest: ArrayLike<number>): Uint32Array {
  const a = new Uint32Array(25);
  a.set(header.subarray(0, 8), 0);
  a[8] = lo;
  a[9] = hi;
  for (let i = 0; i < 8; i++) a[10 + i] = digest[i]!;
  keccakF800(a);
  return a;
}

function bswap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** hash_seed as (hi, lo) u32 halves: the first 8 output bytes read big-endian. */
export function progpowSeed(header: Uint32Array, nonce: bigint): { hi: number; lo: number } {
  const a = keccakProgpow(header, Number(nonce & 0xffffffffn), Number(nonce >> 32n), new Uint32Array(8));
  return { hi: bswap32(a[0]!), lo: bswap32(a[1]!) };
}
