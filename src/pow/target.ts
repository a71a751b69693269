// Difficulty, target and getwork boundary (pow.md 6.3).
import { bigIntToBytes, bytesToBigInt } from '../util/bytes.js';

const TWO_256 = 1n << 256n;
const TWO_255 = 1n << 255n;
/** The largest target a 32-byte boundary can carry. */
export const MAX_TARGET = TWO_256 - 1n;

function checkDifficulty(difficulty: bigint): void {
  if (difficulty < 1n) throw new RangeError(`difficulty must be at least 1, got ${difficulty}`);
}

/**
 * floor(2^256 / D): the exact target of a difficulty, for blocks and pool shares alike (stratum.md 7.3)
 * (2^256 itself for D = 1, which no 32-byte boundary holds: see getworkBoundary).
 */
export function difficultyToTarget(difficulty: bigint): bigint {
  checkDifficulty(difficulty);
  return TWO_256 / difficulty;
}

/** The getwork boundary ((2^255 / D) << 1) truncated to 256 bits, as 32 bytes. */
export function getworkBoundary(difficulty: bigint): Uint8Array {
  checkDifficulty(difficulty);
  return bigIntToBytes(((TWO_255 / difficulty) << 1n) & MAX_TARGET, 32);
}

/** The target a boundary stands for (a zero boundary, from D = 1, means "anything"). */
export function boundaryToTarget(boundary: Uint8Array): bigint {
  const value = bytesToBigInt(boundary);
  return value === 0n ? MAX_TARGET : value;
}

/** Difficulty a boundary stands for: floor(2^256 / boundary). */
export function boundaryToDifficulty(boundary: Uint8Array): bigint {
  return targetToDifficulty(bytesToBigInt(boundary));
}

/** Difficulty a target stands for: floor(2^256 / target); a zero target (from D = 1) is difficulty 1. */
export function targetToDifficulty(target: bigint): bigint {
  return target === 0n ? 1n : TWO_256 / target;
}

/** True when the final hash, as a big-endian 256-bit number, is at or below the target. */
export function meetsTarget(finalHash: Uint8Array, target: bigint): boolean {
  return bytesToBigInt(finalHash) <= target;
}
