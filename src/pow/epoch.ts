// Ethash epoch parameters (pow.md section 4) and the small DAG used by tests and the demo devnet.
import { keccak256 } from './keccak.js';
import { PROGPOW_ENTRY_WORDS, PROGPOW_PERIOD } from './progpow-program.js';
import { bytesToHex } from '../util/hex.js';

export const EPOCH_LENGTH = 30000;
export const HASH_BYTES = 64;
export const MIX_BYTES = 128;
/** ProgPoW reads the dataset in 256-byte entries. */
export const DAG_ENTRY_BYTES = PROGPOW_ENTRY_WORDS * 4;

export const CACHE_BYTES_INIT = 2 ** 24;
export const CACHE_BYTES_GROWTH = 2 ** 17;
export const DATASET_BYTES_INIT = 2 ** 30;
export const DATASET_BYTES_GROWTH = 2 ** 23;

/** Small DAG mode: same seed and algorithm, tiny sizes (both row counts are prime). */
export const SMALL_CACHE_SIZE = 1021 * HASH_BYTES;
export const SMALL_DATASET_SIZE = 65521 * DAG_ENTRY_BYTES;

export type DagMode = 'full' | 'small';

/** Everything that identifies one DAG: sizes are explicit so any backend runs either mode. */
export interface DagSpec {
  readonly epoch: number;
  readonly mode: DagMode;
  readonly seedHash: Uint8Array;
  readonly cacheSize: number;
  readonly datasetSize: number;
}

/** Highest epoch accepted: far beyond any reachable height, and keeps sizes exact in doubles. */
export const MAX_EPOCH = 1 << 16;

export function epochOf(block: number): number {
  if (!Number.isSafeInteger(block) || block < 0) throw new RangeError(`invalid block number: ${block}`);
  return Math.floor(block / EPOCH_LENGTH);
}

/** The ProgPoW period of a block: its random program changes every PROGPOW_PERIOD blocks. */
export function periodOf(block: number): number {
  return Math.floor(block / PROGPOW_PERIOD);
}

/** The first block of a ProgPoW period. */
export function periodStart(period: number): number {
  return period * PROGPOW_PERIOD;
}

function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`invalid epoch: ${epoch}`);
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

export function cacheSize(epoch: number): number {
  checkEpoch(epoch);
  let size = CACHE_BYTES_INIT + CACHE_BYTES_GROWTH * epoch - HASH_BYTES;
  while (!isPrime(size / HASH_BYTES)) size -= 2 * HASH_BYTES;
  return size;
}

export function datasetSize(epoch: number): number {
  checkEpoch(epoch);
  let size = DATASET_BYTES_INIT + DATASET_BYTES_GROWTH * epoch - MIX_BYTES;
  while (!isPrime(size / MIX_BYTES)) size -= 2 * MIX_BYTES;
  return size;
}

/** keccak256 applied `epoch` times to 32 zero bytes; successive calls reuse the last chain. */
let seedChain: Uint8Array[] = [new Uint8Array(32)];
export function seedHash(epoch: number): Uint8Array {
  checkEpoch(epoch);
  if (epoch >= seedChain.length) {
    for (let e = seedChain.length; e <= epoch; e++) seedChain.push(keccak256(seedChain[e - 1]!));
  }
  return seedChain[epoch]!.slice();
}

/** Epoch of a seed hash, searching up to maxEpoch (for work that carries no height). */
export function epochOfSeed(seed: Uint8Array, maxEpoch = 4096): number | undefined {
  const hex = bytesToHex(seed);
  for (let e = 0; e <= maxEpoch; e++) if (bytesToHex(seedHash(e)) === hex) return e;
  return undefined;
}

export function dagSpec(epoch: number, mode: DagMode = 'full'): DagSpec {
  const seed = seedHash(epoch);
  if (mode === 'small') {
    return { epoch, mode, seedHash: seed, cacheSize: SMALL_CACHE_SIZE, datasetSize: SMALL_DATASET_SIZE };
  }
  return { epoch, mode, seedHash: seed, cacheSize: cacheSize(epoch), datasetSize: datasetSize(epoch) };
}

export function dagSpecForBlock(block: number, mode: DagMode = 'full'): DagSpec {
  return dagSpec(epochOf(block), mode);
}

/** Number of 256-byte entries ProgPoW addresses (pow.md pitfall 2: floor, not round up). */
export function dagEntries(datasetSize: number): number {
  return Math.floor(datasetSize / DAG_ENTRY_BYTES);
}
