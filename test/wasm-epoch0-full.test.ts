// The full 1 GiB epoch-0 DAG, built once on 2 threads (about a minute and a half on a
// 2-core machine): dataset item and cdag vectors read from the DAG itself, and searches
// through the full-DAG path (re-checking switched off) against the vectors and the
// TypeScript reference in light mode, interpreted (a period's first job, its module not
// compiled yet) and in each period's generated module. SERO_SKIP_FULL_DAG=1 skips it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HASH_BYTES } from '../src/pow/epoch.js';
import { bytesTo0x } from '../src/util/hex.js';
import { progpowHash } from '../src/pow/progpow.js';
import { PROGPOW_CACHE_BYTES } from '../src/pow/progpow-program.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import type { SearchJob, Solution } from '../src/backends/backend.js';
import { checkEpoch } from './support/vector-checks.js';
import { ANY_TARGET, epoch0Fixture, referenceSearch, searchedHash } from './support/backend-checks.js';

const skip = process.env.SERO_SKIP_FULL_DAG === '1' ? 'SERO_SKIP_FULL_DAG=1' : false;
const full = epoch0Fixture(skip, () => createWasmBackend({ threads: 2, verify: false }), 15 * 60_000);
const words = (bytes: Uint8Array) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);

test('dataset items and the cdag read from the full DAG match the vectors', { skip }, async () => {
  assert.equal(full.backend.dagPlacement, 'wasm');
  await checkEpoch(0, {
    cdag: () => words(full.backend.readDag(0, PROGPOW_CACHE_BYTES)),
    item: (index) => words(full.backend.readDag(index * HASH_BYTES, HASH_BYTES)),
  });
});

test('epoch-0 ProgPoW vectors through the full-DAG search path', { skip }, async () => {
  assert.ok((await checkEpoch(0, { hash: searchedHash(full.backend) })) > 3);
});

test('chosen nonces and a random range equal the TypeScript reference (light)', { skip }, async () => {
  const { backend, light } = full;
  const job: SearchJob = { headerHash: randomBytes(32), height: 12_345, target: (1n << 256n) / 4n };
  const start = BigInt('0x' + randomBytes(8).toString('hex'));
  const count = 48;
  const show = (s: Solution) => `${s.nonce} ${bytesTo0x(s.mixDigest)} ${bytesTo0x(s.finalHash)}`;
  const got = await backend.search(job, start, count);
  assert.deepEqual(got.solutions.map(show), referenceSearch(light, job, start, count).map(show));
  for (const nonce of [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n]) {
    const [solution] = (await backend.search({ ...job, target: ANY_TARGET }, nonce, 1)).solutions;
    const ref = progpowHash(job.headerHash, nonce, job.height, light);
    assert.equal(bytesTo0x(solution!.mixDigest), bytesTo0x(ref.mixDigest), `nonce ${nonce}`);
    assert.equal(bytesTo0x(solution!.finalHash), bytesTo0x(ref.finalHash), `nonce ${nonce}`);
  }
});

test("the vectors and a random range in each period's generated module, on the full DAG", { skip }, async () => {
  const { backend, light } = full;
  const before = { ...backend.hashesByEngine };
  const searched = searchedHash(backend);
  const hashes = await checkEpoch(0, {
    hash: async (headerHash, nonce, height) => {
      await backend.prepareRounds(height);
      return searched(headerHash, nonce, height);
    },
  });
  const job: SearchJob = { headerHash: randomBytes(32), height: 23_456, target: (1n << 256n) / 4n };
  await backend.prepareRounds(job.height);
  const start = BigInt('0x' + randomBytes(8).toString('hex'));
  const show = (s: Solution) => `${s.nonce} ${bytesTo0x(s.mixDigest)} ${bytesTo0x(s.finalHash)}`;
  const got = await backend.search(job, start, 40);
  assert.deepEqual(got.solutions.map(show), referenceSearch(light, job, start, 40).map(show));
  assert.equal(backend.hashesByEngine.interpreter, before.interpreter);
  assert.equal(backend.hashesByEngine.generated - before.generated, hashes + 40);
});
