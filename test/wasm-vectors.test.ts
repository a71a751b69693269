// The WASM proof-of-work module against the reference vectors: keccak, ProgPoW math and
// merge, the initial mix, light caches, cdags, dataset items and ProgPoW hashes for every
// epoch the vector file covers (caches of up to ~95 MB are generated in WASM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { keccak_512 } from '@noble/hashes/sha3.js';
import { powVectors, hex, word } from './support/vectors.js';
import { keccak256 } from '../src/pow/keccak.js';
import { dagSpec, SMALL_CACHE_SIZE } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { toHex } from '../src/pow/hex.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../src/chain/forks.js';
import { makeLightCacheWasm, WasmLightHasher } from '../src/backends/wasm/index.js';
import { createLightHash } from '../src/backends/light-hasher.js';
import { PowInstance, scratchBytes, STATIC_BYTES } from '../src/backends/wasm/instance.js';
import { createSharedMemory } from '../src/backends/wasm/module.js';

const v = powVectors();
const bytesOf = (w: Uint32Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
const wordsHex = (w: Uint32Array) => toHex(bytesOf(w), false);

/** One instance on a small memory, with 4 KiB of free space after its scratch. */
function probeInstance(): { instance: PowInstance; free: number } {
  const free = STATIC_BYTES + scratchBytes(1, 1);
  const instance = new PowInstance(createSharedMemory(free + 4096), STATIC_BYTES, 1, 1);
  return { instance, free };
}

test('keccak-f800 (22 rounds) matches the ProgPoW vectors', () => {
  const { instance, free } = probeInstance();
  for (const k of v.keccak_f800_progpow) {
    const state = instance.words(free, 25);
    state.fill(0);
    const header = new DataView(hex(k.header_hash).buffer);
    for (let i = 0; i < 8; i++) state[i] = header.getUint32(4 * i, true);
    const seed = BigInt('0x' + k.seed);
    state[8] = Number(seed & 0xffffffffn);
    state[9] = Number(seed >> 32n);
    k.digest_words.forEach((d, i) => (state[10 + i] = word(d)));
    instance.pow.keccakF800(free);
    assert.equal(toHex(instance.bytes(free, 32), false), k.output, k.id);
  }
});

test('keccak-512 of 64-byte rows equals @noble/hashes on random inputs', () => {
  const { instance, free } = probeInstance();
  for (let i = 0; i < 200; i++) {
    const input = randomBytes(64);
    instance.bytes(free, 64).set(input);
    instance.pow.keccak512(free + 64, free);
    assert.equal(toHex(instance.bytes(free + 64, 64), false), toHex(keccak_512(input), false));
  }
});

test('math and merge vectors pass on all 16 lanes of the batch code', () => {
  const { instance } = probeInstance();
  assert.ok(v.math_merge.length > 0);
  for (const m of v.math_merge) {
    const [a, b, r] = [word(m.a), word(m.b), word(m.r)];
    const at = m.op.startsWith('math') ? instance.pow.probeMath(a, b, r) : instance.pow.probeMerge(a, b, r);
    assert.deepEqual(Array.from(instance.words(at, 16)), new Array(16).fill(word(m.result)), `${m.op} ${m.a} ${m.b} ${m.r}`);
  }
});

test('initial lane mix (fill_mix) vectors', () => {
  const { instance } = probeInstance();
  for (const f of v.fill_mix) {
    const seed = BigInt('0x' + f.seed);
    const mix = instance.pow.probeFillMix(Number(seed & 0xffffffffn), Number(seed >> 32n));
    const regs = Array.from({ length: 32 }, (_, i) => instance.words(mix + 64 * i + 4 * f.lane, 1)[0]!);
    assert.deepEqual(regs, f.mix.map(word), `seed ${f.seed} lane ${f.lane}`);
  }
});

test('the WASM light cache equals the TypeScript one at the small DAG size', () => {
  const seed = dagSpec(3).seedHash;
  assert.deepEqual(makeLightCacheWasm(SMALL_CACHE_SIZE, seed), makeLightCache(SMALL_CACHE_SIZE, seed));
});

const progpowHeaders = v.header_hash_pow.filter((h) => h.block_number >= PROGPOW_ACTIVATION_HEIGHT);
const epochs = [...new Set([
  ...v.progpow.map((p) => p.epoch),
  ...v.dataset_items.map((d) => d.epoch),
  ...v.epochs.filter((e) => e.cache_keccak256).map((e) => e.epoch),
  ...progpowHeaders.map((h) => Math.floor(h.block_number / 30000)),
])].sort((a, b) => a - b);

for (const epoch of epochs) {
  test(`epoch ${epoch}: WASM light cache, cdag, dataset items and ProgPoW light hashes`, () => {
    const spec = dagSpec(epoch);
    const cache = makeLightCacheWasm(spec.cacheSize, spec.seedHash);
    const row = v.epochs.find((e) => e.epoch === epoch);
    if (row?.cache_keccak256) {
      const bytes = bytesOf(cache);
      assert.equal(toHex(bytes.subarray(0, 64), false), row.cache_first_64_bytes);
      assert.equal(toHex(bytes.subarray(bytes.length - 64), false), row.cache_last_64_bytes);
      assert.equal(toHex(keccak256(bytes), false), row.cache_keccak256, 'cache digest');
    }
    const hasher = new WasmLightHasher(spec, cache);
    if (row?.cdag_keccak256) {
      const cdag = hasher.cdag();
      assert.equal(toHex(keccak256(bytesOf(cdag)), false), row.cdag_keccak256, 'cdag digest');
      assert.deepEqual(Array.from(cdag.subarray(0, 16)), row.cdag_first_16_words!.map(word));
    }
    for (const item of v.dataset_items.filter((d) => d.epoch === epoch)) {
      assert.equal(wordsHex(hasher.items(item.index, 1)), item.item, `item ${item.index}`);
    }
    for (const p of v.progpow.filter((x) => x.epoch === epoch)) {
      assert.equal(p.dataset_size, spec.datasetSize);
      const r = hasher.hash(hex(p.header_hash), BigInt('0x' + p.nonce), p.block_number);
      assert.equal(toHex(r.mixDigest, false), p.mix_digest, `${p.id} mix`);
      assert.equal(toHex(r.finalHash, false), p.final_hash, `${p.id} final`);
    }
    for (const h of progpowHeaders.filter((x) => Math.floor(x.block_number / 30000) === epoch)) {
      const r = hasher.hash(hex(h.hash_pow), BigInt('0x' + h.nonce), h.block_number);
      assert.equal(toHex(r.mixDigest, false), h.mix_digest, `${h.id} mix`);
      assert.equal(toHex(r.finalHash, false), h.final_hash, `${h.id} final`);
    }
  });
}

test('the WASM light hash (the hash command with --backend wasm) reproduces a vector', () => {
  const p = v.progpow.find((x) => x.epoch === 0)!;
  const r = createLightHash(dagSpec(0), undefined, 'wasm')(hex(p.header_hash), BigInt('0x' + p.nonce), p.block_number);
  assert.equal(toHex(r.mixDigest, false), p.mix_digest);
  assert.equal(toHex(r.finalHash, false), p.final_hash);
});
