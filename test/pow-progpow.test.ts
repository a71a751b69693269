// The reference's full evaluation (a dataset in memory) equals its light evaluation (items from
// the cache). Its vectors, epoch by epoch, run in pow-vectors.test.ts with the other backends'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256 } from '../src/pow/keccak.js';
import { makeDataset, makeLightCache } from '../src/pow/ethash.js';
import { dagSpec, seedHash } from '../src/pow/epoch.js';
import { fullDag, lightDag, progpowHash } from '../src/pow/progpow.js';

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
