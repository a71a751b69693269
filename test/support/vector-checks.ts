// The vector checks every backend runs, written once: each family of published vectors is
// decoded here, handed to whatever computes it, and every result asserted the same way.
import assert from 'node:assert/strict';
import { keccak256 } from '../../src/pow/keccak.js';
import { EPOCH_LENGTH, dagSpec } from '../../src/pow/epoch.js';
import { bytesToHex } from '../../src/util/hex.js';
import { wordsLE } from '../../src/util/bytes.js';
import type { ProgpowResult } from '../../src/pow/progpow.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../../src/chain/forks.js';
import { hex, powVectors, word } from './vectors.js';

const v = powVectors();
const bytesOf = (w: Uint32Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
const wordsHex = (w: Uint32Array) => bytesToHex(bytesOf(w));
const seedWords = (seed: string) => ({ lo: Number(BigInt('0x' + seed) & 0xffffffffn), hi: Number(BigInt('0x' + seed) >> 32n) });

/** Header vectors below the ProgPoW fork use SERO's historic Ethash, which this miner never mines. */
const progpowHeaders = v.header_hash_pow.filter((h) => h.block_number >= PROGPOW_ACTIVATION_HEIGHT);
const epochOfBlock = (block: number) => Math.floor(block / EPOCH_LENGTH);

/** Every epoch a vector covers: ProgPoW hashes, dataset items, cache digests and header hashes. */
export const VECTOR_EPOCHS: readonly number[] = [...new Set([
  ...v.progpow.map((p) => p.epoch),
  ...v.dataset_items.map((d) => d.epoch),
  ...v.epochs.filter((e) => e.cache_keccak256).map((e) => e.epoch),
  ...progpowHeaders.map((h) => epochOfBlock(h.block_number)),
])].sort((a, b) => a - b);

export interface MathMergeInput {
  readonly merge: boolean;
  readonly a: number;
  readonly b: number;
  readonly r: number;
}

/** keccak_progpow's absorb: header words, the 64-bit value as (lo, hi), the digest words. */
export interface KeccakInput {
  readonly header: Uint32Array;
  readonly lo: number;
  readonly hi: number;
  readonly digest: readonly number[];
}

export interface FillMixInput {
  readonly lo: number;
  readonly hi: number;
  readonly lane: number;
}

/** math(a, b, r) or merge(a, b, r) of each input: what every lane computing it got (one or more). */
export async function checkMathMerge(evaluate: (inputs: MathMergeInput[]) => Promise<number[][]> | number[][]): Promise<void> {
  assert.equal(v.math_merge.length, 52);
  const inputs = v.math_merge.map((m) => ({ merge: !m.op.startsWith('math'), a: word(m.a), b: word(m.b), r: word(m.r) }));
  const results = await evaluate(inputs);
  v.math_merge.forEach((m, i) => {
    const lanes = results[i]!;
    assert.ok(lanes.length > 0);
    assert.deepEqual(lanes, new Array(lanes.length).fill(word(m.result)), `${m.op} a=${m.a} b=${m.b} r=${m.r}`);
  });
}

/** The keccak-f800 vectors as ProgPoW absorbs them: each result is a prefix (two words at least) of the output. */
export async function checkKeccakProgpow(absorb: (inputs: KeccakInput[]) => Promise<Uint32Array[]> | Uint32Array[]): Promise<void> {
  const inputs = v.keccak_f800_progpow.map((k) => ({ header: wordsLE(hex(k.header_hash)), ...seedWords(k.seed), digest: k.digest_words.map(word) }));
  const results = await absorb(inputs);
  v.keccak_f800_progpow.forEach((k, i) => {
    const out = results[i]!;
    assert.ok(out.length >= 2 && out.length <= k.output.length / 8, `${out.length} words`);
    assert.equal(wordsHex(out), k.output.slice(0, 8 * out.length), k.id);
  });
}

/** Each lane's 32 initial registers. */
export async function checkFillMix(fill: (inputs: FillMixInput[]) => Promise<number[][]> | number[][]): Promise<void> {
  const results = await fill(v.fill_mix.map((f) => ({ ...seedWords(f.seed), lane: f.lane })));
  v.fill_mix.forEach((f, i) => assert.deepEqual(results[i], f.mix.map(word), `seed ${f.seed} lane ${f.lane}`));
}

/** The first and last 64 bytes and the keccak-256 of a light cache, where the vectors have them. */
export function checkLightCache(epoch: number, cache: Uint32Array): void {
  const row = v.epochs.find((e) => e.epoch === epoch);
  if (!row?.cache_keccak256) return;
  const bytes = bytesOf(cache);
  assert.equal(bytesToHex(bytes.subarray(0, 64)), row.cache_first_64_bytes);
  assert.equal(bytesToHex(bytes.subarray(bytes.length - 64)), row.cache_last_64_bytes);
  assert.equal(bytesToHex(keccak256(bytes)), row.cache_keccak256, 'cache digest');
}

/** What an implementation computes of one epoch; each part it provides is checked. */
export interface EpochEvaluator {
  /** The ProgPoW cache (the first 16 KiB of the dataset) as words. */
  cdag?(): Uint32Array;
  /** Dataset item `index` (16 words). */
  item?(index: number): Uint32Array;
  hash?(headerHash: Uint8Array, nonce: bigint, block: number): ProgpowResult | Promise<ProgpowResult>;
}

/** The epoch's cdag, dataset item, ProgPoW and (post-fork) header vectors; returns how many hashes were checked. */
export async function checkEpoch(epoch: number, evaluator: EpochEvaluator): Promise<number> {
  const row = v.epochs.find((e) => e.epoch === epoch);
  if (evaluator.cdag && row?.cdag_keccak256) {
    const cdag = evaluator.cdag();
    assert.equal(bytesToHex(keccak256(bytesOf(cdag))), row.cdag_keccak256, 'cdag digest');
    assert.deepEqual(Array.from(cdag.subarray(0, 16)), row.cdag_first_16_words!.map(word));
  }
  if (evaluator.item) {
    for (const item of v.dataset_items.filter((d) => d.epoch === epoch)) {
      assert.equal(wordsHex(evaluator.item(item.index)), item.item, `item ${item.index}`);
    }
  }
  if (!evaluator.hash) return 0;
  const spec = dagSpec(epoch);
  let hashes = 0;
  for (const p of v.progpow.filter((x) => x.epoch === epoch)) {
    assert.equal(p.dataset_size, spec.datasetSize);
    const r = await evaluator.hash(hex(p.header_hash), BigInt('0x' + p.nonce), p.block_number);
    assert.equal(bytesToHex(r.mixDigest), p.mix_digest, `${p.id} mix`);
    assert.equal(bytesToHex(r.finalHash), p.final_hash, `${p.id} final`);
    hashes++;
  }
  for (const h of progpowHeaders.filter((x) => epochOfBlock(x.block_number) === epoch)) {
    const r = await evaluator.hash(hex(h.hash_pow), BigInt('0x' + h.nonce), h.block_number);
    assert.equal(bytesToHex(r.mixDigest), h.mix_digest, `${h.id} mix`);
    assert.equal(bytesToHex(r.finalHash), h.final_hash, `${h.id} final`);
    hashes++;
  }
  return hashes;
}
