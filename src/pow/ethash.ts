// Ethash light cache and dataset items (pow.md section 4), the ground truth every backend's
// DAG is compared with. Word arrays are little-endian u32 views (all supported hosts are LE).
import { keccak512 } from './keccak.js';
import { fnv } from './fnv.js';
import { HASH_BYTES } from './epoch.js';
import { PROGPOW_CACHE_WORDS } from './progpow-program.js';

const WORDS_PER_ROW = HASH_BYTES / 4;
/** Cache rows folded into each dataset item (the WGSL and WASM builders get it from here). */
export const DATASET_PARENTS = 256;
const CACHE_ROUNDS = 3;

function asBytes(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

/** The light cache as u32 words (cacheSize / 4 of them). */
export function makeLightCache(cacheSize: number, seedHash: Uint8Array): Uint32Array {
  const rows = cacheSize / HASH_BYTES;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`cache size ${cacheSize} is not a multiple of ${HASH_BYTES}`);
  const cache = new Uint32Array(rows * WORDS_PER_ROW);
  const bytes = asBytes(cache);
  bytes.set(keccak512(seedHash), 0);
  for (let i = 1; i < rows; i++) {
    bytes.set(keccak512(bytes.subarray((i - 1) * HASH_BYTES, i * HASH_BYTES)), i * HASH_BYTES);
  }
  const mixed = new Uint8Array(HASH_BYTES);
  for (let round = 0; round < CACHE_ROUNDS; round++) {
    for (let j = 0; j < rows; j++) {
      const v = cache[j * WORDS_PER_ROW]! % rows;
      const prev = ((j - 1 + rows) % rows) * HASH_BYTES;
      for (let k = 0; k < HASH_BYTES; k++) mixed[k] = bytes[prev + k]! ^ bytes[v * HASH_BYTES + k]!;
      bytes.set(keccak512(mixed), j * HASH_BYTES);
    }
  }
  return cache;
}

/** Dataset item `index` (16 words), computed from the light cache. */
export function calcDatasetItem(cache: Uint32Array, index: number, out: Uint32Array = new Uint32Array(WORDS_PER_ROW)): Uint32Array {
  const rows = cache.length / WORDS_PER_ROW;
  const mix = new Uint32Array(WORDS_PER_ROW);
  mix.set(cache.subarray((index % rows) * WORDS_PER_ROW, (index % rows + 1) * WORDS_PER_ROW));
  mix[0] = (mix[0]! ^ index) >>> 0;
  mix.set(new Uint32Array(keccak512(asBytes(mix)).buffer.slice(0)));
  for (let p = 0; p < DATASET_PARENTS; p++) {
    const parent = fnv((index ^ p) >>> 0, mix[p % WORDS_PER_ROW]!) % rows;
    const base = parent * WORDS_PER_ROW;
    for (let k = 0; k < WORDS_PER_ROW; k++) mix[k] = fnv(mix[k]!, cache[base + k]!);
  }
  out.set(new Uint32Array(keccak512(asBytes(mix)).buffer.slice(0)));
  return out;
}

/** Items first .. first+count-1 as one word array (a slice of the full dataset). */
export function calcDatasetRange(cache: Uint32Array, first: number, count: number): Uint32Array {
  const out = new Uint32Array(count * WORDS_PER_ROW);
  for (let i = 0; i < count; i++) calcDatasetItem(cache, first + i, out.subarray(i * WORDS_PER_ROW, (i + 1) * WORDS_PER_ROW));
  return out;
}

/** The whole dataset (only sensible for the small DAG in TypeScript). */
export function makeDataset(cache: Uint32Array, datasetSize: number): Uint32Array {
  return calcDatasetRange(cache, 0, Math.floor(datasetSize / HASH_BYTES));
}

/** ProgPoW's L1 cache: the first 16 KiB of the dataset (pow.md pitfall 6). */
export function makeCdag(cache: Uint32Array): Uint32Array {
  return calcDatasetRange(cache, 0, PROGPOW_CACHE_WORDS / WORDS_PER_ROW);
}
