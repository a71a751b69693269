// Loads the reference vectors: the repository's copy in test/vectors/ (of ../shared/vectors/,
// which a test compares it with when that exists), so a clone alone runs every test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root: dist/test/support -> three levels up. */
export const repoRoot = path.resolve(here, '../../..');
export const VECTORS_FILE = path.join(repoRoot, 'test/vectors/pow-vectors.json');
/** The vectors shipped beside the project, which test/vectors/ copies. */
export const SHARED_VECTORS_FILE = path.resolve(repoRoot, '../shared/vectors/pow-vectors.json');

export interface ProgpowVector {
  id: string; block_number: number; epoch: number; prog_seed: number; header_hash: string; nonce: string;
  cache_size: number; dataset_size: number; hash_seed: string; mix_digest: string; final_hash: string;
}
export interface EpochVector {
  epoch: number; first_block: number; seed_hash: string; cache_size: number; dataset_size: number;
  cache_keccak256?: string; cache_first_64_bytes?: string; cache_last_64_bytes?: string;
  cdag_keccak256?: string; cdag_first_16_words?: string[];
}
export interface PowVectors {
  progpow: ProgpowVector[];
  epochs: EpochVector[];
  dataset_items: { epoch: number; index: number; item: string }[];
  keccak_f800_progpow: { id: string; header_hash: string; seed: string; digest_words: string[]; output: string; hash_seed_if_digest_zero?: string }[];
  progpow_init: { prog_seed: number; kiss_z: string; kiss_w: string; kiss_jsr: string; kiss_jcong: string; dst_seq: number[]; src_seq: number[]; next_4_kiss99_outputs: string[] }[];
  fill_mix: { seed: string; lane: number; mix: string[] }[];
  math_merge: { op: string; a: string; b: string; r: string; result: string }[];
  kiss99: { z: number; w: number; jsr: number; jcong: number; first_4_outputs: number[] };
  targets: { difficulty: string; target: string; getwork_boundary: string }[];
  header_hash_pow: { id: string; fields: Record<string, string>; rlp: string; hash_pow: string; block_number: number; nonce: string; mix_digest: string; final_hash: string }[];
}

let loaded: PowVectors | undefined;
export function powVectors(): PowVectors {
  loaded ??= JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as PowVectors;
  return loaded;
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const word = (s: string): number => parseInt(s, 16) >>> 0;
