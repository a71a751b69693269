// Nominal memory bandwidth of GPUs that may run `npm run bench:gpu` (vendors' spec sheets), for
// the bandwidth bound of ProgPoW: every hash reads 64 DAG entries of 256 bytes, 16 KiB.
import { DAG_ENTRY_BYTES } from '../src/pow/epoch.js';
import { PROGPOW_CNT_DAG } from '../src/pow/progpow-program.js';

/** Bytes of DAG one ProgPoW hash reads. */
export const DAG_BYTES_PER_HASH = PROGPOW_CNT_DAG * DAG_ENTRY_BYTES;

/** First match wins: more specific names before the family's. */
const NOMINAL_BYTES_PER_SECOND: readonly [RegExp, number][] = [
  [/\bH200\b/i, 4.8e12],
  [/\bH100\b.*\bNVL\b/i, 3.9e12],
  [/\bH100\b.*\bPCIe\b/i, 2.0e12],
  [/\bH100\b/i, 3.35e12],
  [/\bGH200\b/i, 4.0e12],
  [/\bA100\b.*80/i, 2.039e12],
  [/\bA100\b/i, 1.555e12],
  [/\bV100\b/i, 0.9e12],
  [/\bL40S?\b/i, 0.864e12],
  [/\bA10\b/i, 0.6e12],
  [/\bL4\b/i, 0.3e12],
  [/\bT4\b/i, 0.32e12],
  [/RTX 5090/i, 1.792e12],
  [/RTX 4090/i, 1.008e12],
  [/RTX 4080 SUPER/i, 0.736e12],
  [/RTX 4080/i, 0.717e12],
  [/RTX 3090 Ti/i, 1.008e12],
  [/RTX 3090/i, 0.936e12],
  [/MI300X/i, 5.3e12],
  [/MI250X/i, 3.2e12],
  [/RX 7900 XTX/i, 0.96e12],
];

/** Nominal bytes per second of the adapter whose name this is, or null when unknown. */
export function nominalBandwidth(adapterName: string): number | null {
  return NOMINAL_BYTES_PER_SECOND.find(([pattern]) => pattern.test(adapterName))?.[1] ?? null;
}

/** Hashes per second the bandwidth allows and the share of it a hash rate reaches (null when unknown). */
export function bandwidthBound(hashrate: number, bytesPerSecond: number | null): { boundHashrate: number | null; fraction: number | null } {
  if (!bytesPerSecond) return { boundHashrate: null, fraction: null };
  const boundHashrate = bytesPerSecond / DAG_BYTES_PER_HASH;
  return { boundHashrate: Math.round(boundHashrate), fraction: Number((hashrate / boundHashrate).toFixed(4)) };
}
