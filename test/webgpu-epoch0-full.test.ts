// The real 1 GiB epoch-0 DAG built on the GPU (8 buffers of 128 MiB on lavapipe, or the
// adapter's own binding size), searched against the published vectors and the TypeScript
// reference. Building it takes minutes on a software adapter, so it only runs with
// SERO_WEBGPU_FULL_DAG=1; CI covers the same code with the small DAG and sampled items.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hex, powVectors } from './support/vectors.js';
import { lightCache } from './support/light-cache.js';
import { dagSpec } from '../src/pow/epoch.js';
import { toHex } from '../src/pow/hex.js';
import { lightDag, progpowHash, type DagReader } from '../src/pow/progpow.js';
import { meetsTarget } from '../src/pow/target.js';
import type { SearchJob } from '../src/backends/backend.js';
import { createWebgpuBackend, type WebgpuBackend } from '../src/backends/webgpu/index.js';

const skip = process.env.SERO_WEBGPU_FULL_DAG === '1' ? false : 'the full epoch-0 DAG on the GPU runs with SERO_WEBGPU_FULL_DAG=1';
const spec = dagSpec(0);
const ANY = (1n << 256n) - 1n;
let backend: WebgpuBackend;
let light: DagReader;

before(async () => {
  if (skip) return;
  backend = await createWebgpuBackend({ launch: { workgroupSize: 64, groups: 16, batch: 2048 } });
  await backend.prepare(spec);
  light = lightDag(await lightCache(spec.cacheSize, spec.seedHash), spec.datasetSize);
}, { timeout: 30 * 60_000 });

after(async () => {
  await backend?.close();
});

test('the DAG is split over several buffers', { skip }, () => {
  const build = backend.lastBuild!;
  assert.equal(build.dagBytes, 4194296 * 256);
  assert.equal(build.buffers, Math.ceil(build.dagBytes / backend.ctx.maxBindingBytes));
});

test('every epoch-0 ProgPoW vector, as a one-nonce search', { skip }, async () => {
  const vectors = powVectors().progpow.filter((p) => p.epoch === 0);
  assert.ok(vectors.length > 3);
  for (const p of vectors) {
    const job: SearchJob = { headerHash: hex(p.header_hash), height: p.block_number, target: ANY };
    const r = await backend.search(job, BigInt('0x' + p.nonce), 1);
    assert.equal(r.solutions.length, 1, p.id);
    assert.equal(toHex(r.solutions[0]!.mixDigest, false), p.mix_digest, `${p.id} mix`);
    assert.equal(toHex(r.solutions[0]!.finalHash, false), p.final_hash, `${p.id} final`);
  }
  assert.equal(backend.gpuMismatches, 0);
});

test('a random range equals the light-mode reference', { skip }, async () => {
  const header = randomBytes(32);
  const job: SearchJob = { headerHash: header, height: 29_999, target: (1n << 256n) / 8n };
  const start = BigInt('0x' + randomBytes(8).toString('hex'));
  const count = 300;
  const r = await backend.search(job, start, count);
  const expected = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const nonce = BigInt.asUintN(64, start + i);
    const h = progpowHash(header, nonce, job.height, light);
    if (meetsTarget(h.finalHash, job.target)) expected.push(nonce);
  }
  assert.equal(r.hashes, count);
  assert.deepEqual(r.solutions.map((s) => s.nonce), expected, `header ${header.toString('hex')} start ${start}`);
});
