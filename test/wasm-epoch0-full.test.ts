// The full 1 GiB epoch-0 DAG, built once on 2 threads (about a minute and a half on a
// 2-core machine): dataset item and cdag vectors read from the DAG itself, and searches
// through the full-DAG path (re-checking switched off) against the vectors and the
// TypeScript reference in light mode. SERO_SKIP_FULL_DAG=1 skips it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { powVectors, hex } from './support/vectors.js';
import { dagSpec } from '../src/pow/epoch.js';
import { keccak256 } from '../src/pow/keccak.js';
import { toHex } from '../src/pow/hex.js';
import { lightDag, progpowHash, type DagReader } from '../src/pow/progpow.js';
import { meetsTarget } from '../src/pow/target.js';
import { createWasmBackend, makeLightCacheWasm, type WasmBackend } from '../src/backends/wasm/index.js';
import type { SearchJob } from '../src/backends/backend.js';

const skip = process.env.SERO_SKIP_FULL_DAG === '1' ? 'SERO_SKIP_FULL_DAG=1' : false;
const v = powVectors();
const spec = dagSpec(0);
const ANY = (1n << 256n) - 1n;
let backend: WasmBackend;
let light: DagReader;

before(async () => {
  if (skip) return;
  backend = createWasmBackend({ threads: 2, verify: false });
  await backend.prepare(spec);
  light = lightDag(makeLightCacheWasm(spec.cacheSize, spec.seedHash), spec.datasetSize);
}, { timeout: 15 * 60_000 });

after(async () => {
  await backend?.close();
});

test('dataset items and the cdag read from the full DAG match the vectors', { skip }, () => {
  assert.equal(backend.dagPlacement, 'wasm');
  for (const item of v.dataset_items.filter((d) => d.epoch === 0)) {
    assert.equal(toHex(backend.readDag(item.index * 64, 64), false), item.item, `item ${item.index}`);
  }
  const row = v.epochs.find((e) => e.epoch === 0)!;
  assert.equal(toHex(keccak256(backend.readDag(0, 16384)), false), row.cdag_keccak256);
});

test('epoch-0 ProgPoW vectors through the full-DAG search path', { skip }, async () => {
  for (const p of v.progpow.filter((x) => x.epoch === 0)) {
    const nonce = BigInt('0x' + p.nonce);
    const r = await backend.search({ headerHash: hex(p.header_hash), height: p.block_number, target: ANY }, nonce, 1);
    assert.equal(r.solutions.length, 1, p.id);
    assert.equal(toHex(r.solutions[0]!.mixDigest, false), p.mix_digest, `${p.id} mix`);
    assert.equal(toHex(r.solutions[0]!.finalHash, false), p.final_hash, `${p.id} final`);
  }
});

test('chosen nonces and a random range equal the TypeScript reference (light)', { skip }, async () => {
  const job: SearchJob = { headerHash: randomBytes(32), height: 12_345, target: (1n << 256n) / 4n };
  const start = BigInt('0x' + randomBytes(8).toString('hex'));
  const count = 48;
  const got = await backend.search(job, start, count);
  const expected = [];
  for (let i = 0; i < count; i++) {
    const nonce = BigInt.asUintN(64, start + BigInt(i));
    const r = progpowHash(job.headerHash, nonce, job.height, light);
    if (meetsTarget(r.finalHash, job.target)) expected.push(`${nonce} ${toHex(r.mixDigest)} ${toHex(r.finalHash)}`);
  }
  assert.deepEqual(got.solutions.map((s) => `${s.nonce} ${toHex(s.mixDigest)} ${toHex(s.finalHash)}`), expected);
  for (const nonce of [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n]) {
    const [full] = (await backend.search({ ...job, target: ANY }, nonce, 1)).solutions;
    const ref = progpowHash(job.headerHash, nonce, job.height, light);
    assert.equal(toHex(full!.mixDigest), toHex(ref.mixDigest), `nonce ${nonce}`);
    assert.equal(toHex(full!.finalHash), toHex(ref.finalHash), `nonce ${nonce}`);
  }
});
