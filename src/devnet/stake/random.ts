// Seedable random numbers for the simulated population (xoshiro128**), resumable from a snapshot.
import { keccak256 } from './hashes.js';

/** Source of uniformly distributed 32-bit words; inject one to make a simulation reproducible. */
export interface RandomSource {
  nextU32(): number;
}

/** A RandomSource whose position can be saved and resumed. */
export interface SnapshottableRandom extends RandomSource {
  state(): number[];
}

const rotl = (value: number, shift: number): number => ((value << shift) | (value >>> (32 - shift))) >>> 0;

/** xoshiro128**: small, fast, seedable; not for anything that needs secrecy. */
export class SeededRandom implements SnapshottableRandom {
  private readonly s: Uint32Array;

  private constructor(words: ArrayLike<number>) {
    this.s = Uint32Array.from(words);
    if (this.s.length !== 4 || this.s.every((word) => word === 0)) throw new RangeError('xoshiro128** needs 4 words, not all zero');
  }

  /** Any string or number seeds a distinct, reproducible stream. */
  static fromSeed(seed: string | number): SeededRandom {
    const digest = keccak256(new TextEncoder().encode(`sero-devnet/random:${seed}`));
    const view = new DataView(digest.buffer, digest.byteOffset, 16);
    const words = [0, 4, 8, 12].map((offset) => view.getUint32(offset));
    return new SeededRandom(words.every((word) => word === 0) ? [1, 0, 0, 0] : words);
  }

  static fromState(state: readonly number[]): SeededRandom {
    return new SeededRandom(state);
  }

  state(): number[] {
    return [...this.s];
  }

  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}

/** Uniform in [0, 1) with 32 bits of resolution. */
export function randomFloat(random: RandomSource): number {
  return random.nextU32() / 2 ** 32;
}

/** Uniform integer in [min, max]. */
export function randomInt(random: RandomSource, min: number, max: number): number {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad range ${min}..${max}`);
  return min + Math.floor(randomFloat(random) * (max - min + 1));
}

export function chance(random: RandomSource, probability: number): boolean {
  return randomFloat(random) < probability;
}

export function randomBytes(random: RandomSource, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = random.nextU32();
    for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * (3 - j))) & 0xff;
  }
  return out;
}
