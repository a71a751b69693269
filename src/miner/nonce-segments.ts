// How a rig splits the 64-bit nonce space between its devices, as serominer does: one random
// start (the "nonce scrambler") for the whole rig, and device i searches the 2^40 nonces from
// scrambler + i·2^40, so no two devices ever hash the same nonce of a job.
import { randomBytes } from 'node:crypto';
import { bytesToBigInt } from '../util/bytes.js';

const U64 = 1n << 64n;

/** Width of each device's segment as a power of two (serominer's default segment width). */
export const SEGMENT_WIDTH_BITS = 40;
export const SEGMENT_SIZE = 1n << BigInt(SEGMENT_WIDTH_BITS);

/** A fresh random scrambler (at start, and on `miner_shuffle`). */
export function randomScrambler(): bigint {
  return bytesToBigInt(randomBytes(8));
}

export interface NonceSegment {
  /** First nonce of the segment. */
  readonly start: bigint;
  /** One past the last nonce, modulo 2^64 (serominer's upper bound). */
  readonly end: bigint;
}

export function segmentOf(scrambler: bigint, deviceIndex: number): NonceSegment {
  const start = (scrambler + BigInt(deviceIndex) * SEGMENT_SIZE) % U64;
  return { start, end: (start + SEGMENT_SIZE) % U64 };
}
