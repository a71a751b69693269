// The real 1 GiB epoch-0 DAG built on the GPU by the dataset-item kernel into storage buffers
// (8 of 128 MiB on lavapipe, or the adapter's own binding size: the split over bindings a GPU
// needs for today's epochs, forced here with the storage and builder a software adapter would
// not choose), searched against the published vectors and the TypeScript reference. The build
// takes 4 to 7 minutes on a 2-core machine's lavapipe, so it runs only with
// SERO_WEBGPU_FULL_DAG=1 (as .ci/run sets it); the small DAG and sampled items cover the same
// code in every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { SearchJob } from '../src/backends/backend.js';
import { createWebgpuBackend } from '../src/backends/webgpu/index.js';
import { checkEpoch } from './support/vector-checks.js';
import { epoch0Fixture, referenceSearch, searchedHash } from './support/backend-checks.js';

const skip = process.env.SERO_WEBGPU_FULL_DAG === '1' ? false : 'the full epoch-0 DAG on the GPU runs with SERO_WEBGPU_FULL_DAG=1';
const full = epoch0Fixture(skip, () => createWebgpuBackend({ dagStorage: 'buffers', dagBuilder: 'gpu', launch: { workgroupSize: 64, groups: 16, batch: 2048 } }), 15 * 60_000);

test('the DAG is split over several buffers', { skip }, () => {
  const build = full.backend.lastBuild!;
  assert.equal(build.dagBytes, 4194296 * 256);
  assert.equal(build.buffers, Math.ceil(build.dagBytes / full.backend.ctx.maxBindingBytes));
});

test('every epoch-0 ProgPoW vector, as a one-nonce search', { skip }, async () => {
  assert.ok((await checkEpoch(0, { hash: searchedHash(full.backend) })) > 3);
  assert.equal(full.backend.gpuMismatches, 0);
});

test('a random range equals the light-mode reference', { skip }, async () => {
  const header = randomBytes(32);
  const job: SearchJob = { headerHash: header, height: 29_999, target: (1n << 256n) / 8n };
  const start = BigInt('0x' + randomBytes(8).toString('hex'));
  const count = 300;
  const r = await full.backend.search(job, start, count);
  assert.equal(r.hashes, count);
  assert.deepEqual(r.solutions.map((s) => s.nonce), referenceSearch(full.light, job, start, count).map((s) => s.nonce), `header ${header.toString('hex')} start ${start}`);
});
