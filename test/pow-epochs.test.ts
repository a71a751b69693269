import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors } from './support/vectors.js';
import { cacheSize, datasetSize, seedHash, epochOf, dagSpec, dagSpecForBlock, dagEntries, epochOfSeed, SMALL_CACHE_SIZE, SMALL_DATASET_SIZE } from '../src/pow/epoch.js';
import { bytesToHex } from '../src/util/hex.js';

const v = powVectors();

test('epoch rows: seed hash, cache and dataset size', () => {
  for (const e of v.epochs) {
    assert.equal(epochOf(e.first_block), e.epoch);
    assert.equal(bytesToHex(seedHash(e.epoch)), e.seed_hash, `seed ${e.epoch}`);
    assert.equal(cacheSize(e.epoch), e.cache_size, `cache ${e.epoch}`);
    assert.equal(datasetSize(e.epoch), e.dataset_size, `dataset ${e.epoch}`);
  }
});

test('every epoch up to 2047: sizes are prime multiples just below the linear bound', () => {
  const isPrime = (n: number) => { for (let d = 2; d * d <= n; d++) if (n % d === 0) return false; return n > 1; };
  for (let epoch = 0; epoch <= 2047; epoch += 1) {
    const c = cacheSize(epoch), d = datasetSize(epoch);
    assert.ok(isPrime(c / 64) && isPrime(d / 128), `epoch ${epoch}`);
    // no larger prime fits below the bound (same stepping as the reference rule)
    for (let s = 2 ** 24 + 2 ** 17 * epoch - 64; s > c; s -= 128) assert.ok(!isPrime(s / 64));
    if (epoch % 97 === 0) for (let s = 2 ** 30 + 2 ** 23 * epoch - 128; s > d; s -= 256) assert.ok(!isPrime(s / 128));
  }
});

test('epochs and DAG specs for blocks, both modes', () => {
  assert.equal(epochOf(940410), 31);
  assert.equal(epochOf(29999), 0);
  assert.throws(() => epochOf(-1), RangeError);
  const full = dagSpecForBlock(18_000_000);
  assert.equal(full.epoch, 600);
  assert.equal(full.datasetSize, 6106906496);
  const small = dagSpec(600, 'small');
  assert.deepEqual([small.cacheSize, small.datasetSize], [SMALL_CACHE_SIZE, SMALL_DATASET_SIZE]);
  assert.deepEqual(small.seedHash, full.seedHash);
  assert.equal(dagEntries(SMALL_DATASET_SIZE), 65521);
  assert.equal(dagEntries(1073739904), 4194296); // floor: half an entry is dropped
  assert.equal(epochOfSeed(seedHash(42)), 42);
});
