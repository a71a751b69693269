// ProgPoW random math and merge (pow.md 5.1).

function rotl(x: number, n: number): number {
  n &= 31;
  return n === 0 ? x >>> 0 : ((x << n) | (x >>> (32 - n))) >>> 0;
}

function rotr(x: number, n: number): number {
  n &= 31;
  return n === 0 ? x >>> 0 : ((x >>> n) | (x << (32 - n))) >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** High 32 bits of a 32x32 product, from 16-bit halves so every step stays exact. */
export function mulHi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

export function progpowMath(a: number, b: number, r: number): number {
  switch (r % 11) {
    case 0: return (a + b) >>> 0;
    case 1: return Math.imul(a, b) >>> 0;
    case 2: return mulHi(a, b);
    case 3: return a < b ? a : b;
    case 4: return rotl(a, b);
    case 5: return rotr(a, b);
    case 6: return (a & b) >>> 0;
    case 7: return (a | b) >>> 0;
    case 8: return (a ^ b) >>> 0;
    case 9: return Math.clz32(a) + Math.clz32(b);
    default: return popcount(a) + popcount(b);
  }
}

export function progpowMerge(a: number, b: number, r: number): number {
  const x = ((r >>> 16) % 31) + 1;
  switch (r % 4) {
    case 0: return (Math.imul(a, 33) + b) >>> 0;
    case 1: return Math.imul(a ^ b, 33) >>> 0;
    case 2: return (rotl(a, x) ^ b) >>> 0;
    default: return (rotr(a, x) ^ b) >>> 0;
  }
}
