// FNV variants used by Ethash (fnv) and ProgPoW (fnv1a), pow.md 3.1.
export const FNV_PRIME = 0x01000193;
export const FNV_OFFSET = 0x811c9dc5;

/** Ethash FNV: (a * prime) ^ b. */
export function fnv(a: number, b: number): number {
  return (Math.imul(a, FNV_PRIME) ^ b) >>> 0;
}

/** FNV-1a step: (h ^ d) * prime. */
export function fnv1a(h: number, d: number): number {
  return Math.imul(h ^ d, FNV_PRIME) >>> 0;
}
