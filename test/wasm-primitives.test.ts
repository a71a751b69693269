// The WASM module's primitives the other backends do not share: keccak-512 against
// @noble/hashes, the light cache against the TypeScript one, and the light hash the hash
// command uses (its vectors, epoch by epoch, run in pow-vectors.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { keccak_512 } from '@noble/hashes/sha3.js';
import { powVectors, hex } from './support/vectors.js';
import { probeInstance } from './support/pow-engines.js';
import { dagSpec, SMALL_CACHE_SIZE } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { bytesToHex } from '../src/util/hex.js';
import { makeLightCacheWasm } from '../src/backends/wasm/index.js';
import { createLightHash } from '../src/backends/light-hasher.js';

const v = powVectors();

test('keccak-512 of 64-byte rows equals @noble/hashes on random inputs', () => {
  const { instance, free } = probeInstance();
  for (let i = 0; i < 200; i++) {
    const input = randomBytes(64);
    instance.bytes(free, 64).set(input);
    instance.pow.keccak512(free + 64, free);
    assert.equal(bytesToHex(instance.bytes(free + 64, 64)), bytesToHex(keccak_512(input)));
  }
});

test('the WASM light cache equals the TypeScript one at the small DAG size', () => {
  const seed = dagSpec(3).seedHash;
  assert.deepEqual(makeLightCacheWasm(SMALL_CACHE_SIZE, seed), makeLightCache(SMALL_CACHE_SIZE, seed));
});

test('the WASM light hash (the hash command with --backend wasm) reproduces a vector', () => {
  const p = v.progpow.find((x) => x.epoch === 0)!;
  const r = createLightHash(dagSpec(0), undefined, 'wasm')(hex(p.header_hash), BigInt('0x' + p.nonce), p.block_number);
  assert.equal(bytesToHex(r.mixDigest), p.mix_digest);
  assert.equal(bytesToHex(r.finalHash), p.final_hash);
});
