// ProgPoW and Ethash vectors for every epoch the vector file covers. Large epochs need caches
// of up to ~95 MB; each is generated once and checked against its digest before use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors, hex, word } from './support/vectors.js';
import { lightCache } from './support/light-cache.js';
import { keccak256 } from '../src/pow/keccak.js';
import { calcDatasetItem, makeCdag, makeDataset, makeLightCache } from '../src/pow/ethash.js';
import { dagSpec, seedHash } from '../src/pow/epoch.js';
import { fullDag, lightDag, progpowHash } from '../src/pow/progpow.js';
import { toHex } from '../src/pow/hex.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../src/chain/forks.js';

const v = powVectors();
// header vectors below the ProgPoW fork use SERO's historic Ethash, which this miner never mines
const progpowHeaders = v.header_hash_pow.filter((h) => h.block_number >= PROGPOW_ACTIVATION_HEIGHT);
const bytesOf = (w: Uint32Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);

const epochs = [...new Set([...v.progpow.map((p) => p.epoch), ...v.dataset_items.map((d) => d.epoch), ...progpowHeaders.map((h) => Math.floor(h.block_number / 30000))])].sort((a, b) => a - b);

for (const epoch of epochs) {
  test(`epoch ${epoch}: light cache, cdag, dataset items and ProgPoW hashes`, async () => {
    const spec = dagSpec(epoch);
    const cache = await lightCache(spec.cacheSize, spec.seedHash);
    const row = v.epochs.find((e) => e.epoch === epoch);
    if (row?.cache_keccak256) {
      const bytes = bytesOf(cache);
      assert.equal(toHex(bytes.subarray(0, 64), false), row.cache_first_64_bytes);
      assert.equal(toHex(bytes.subarray(bytes.length - 64), false), row.cache_last_64_bytes);
      assert.equal(toHex(keccak256(bytes), false), row.cache_keccak256, 'cache digest');
    }
    const cdag = makeCdag(cache);
    if (row?.cdag_keccak256) {
      assert.equal(toHex(keccak256(bytesOf(cdag)), false), row.cdag_keccak256, 'cdag digest');
      assert.deepEqual(Array.from(cdag.subarray(0, 16)), row.cdag_first_16_words!.map(word));
    }
    for (const item of v.dataset_items.filter((d) => d.epoch === epoch)) {
      assert.equal(toHex(bytesOf(calcDatasetItem(cache, item.index)), false), item.item, `item ${item.index}`);
    }
    const dag = lightDag(cache, spec.datasetSize, cdag);
    for (const p of v.progpow.filter((x) => x.epoch === epoch)) {
      assert.equal(p.dataset_size, spec.datasetSize);
      const r = progpowHash(hex(p.header_hash), BigInt('0x' + p.nonce), p.block_number, dag);
      assert.equal(toHex(r.mixDigest, false), p.mix_digest, `${p.id} mix`);
      assert.equal(toHex(r.finalHash, false), p.final_hash, `${p.id} final`);
    }
    for (const h of progpowHeaders.filter((x) => Math.floor(x.block_number / 30000) === epoch)) {
      const r = progpowHash(hex(h.hash_pow), BigInt('0x' + h.nonce), h.block_number, dag);
      assert.equal(toHex(r.mixDigest, false), h.mix_digest, `${h.id} mix`);
      assert.equal(toHex(r.finalHash, false), h.final_hash, `${h.id} final`);
    }
  });
}

test('small DAG: full evaluation equals light evaluation', () => {
  const spec = dagSpec(31, 'small');
  const cache = makeLightCache(spec.cacheSize, seedHash(31));
  const dataset = makeDataset(cache, spec.datasetSize);
  assert.equal(dataset.length * 4, spec.datasetSize);
  const light = lightDag(cache, spec.datasetSize);
  const full = fullDag(dataset, spec.datasetSize);
  assert.deepEqual(full.cdag, light.cdag);
  const header = keccak256(Uint8Array.of(1, 2, 3));
  for (const [block, nonce] of [[940410, 0n], [940449, 123456789n], [940450, (1n << 64n) - 1n], [18_000_000, 0xdeadbeefcafen]] as const) {
    const a = progpowHash(header, nonce, block, light);
    const b = progpowHash(header, nonce, block, full);
    assert.deepEqual(a, b, `block ${block} nonce ${nonce}`);
  }
});
