// The WASM backend against the TypeScript reference on the small DAG (the reference dataset
// takes a while in TypeScript, so one file holds every test that needs it): the DAG built
// with 1 and 2 threads and in both placements, and nonce search over random ranges
// (including one across 2^64), period switches, stopping and restarting.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { calcDatasetItem, makeDataset, makeLightCache } from '../src/pow/ethash.js';
import { fullDag, type DagReader } from '../src/pow/progpow.js';
import { bytesTo0x } from '../src/util/hex.js';
import { createWasmBackend, type WasmBackend } from '../src/backends/wasm/index.js';
import type { SearchJob, Solution } from '../src/backends/backend.js';
import { referenceSearch } from './support/backend-checks.js';

const BLOCK = 1_234;
const spec = dagSpecForBlock(BLOCK, 'small');
const U64 = 1n << 64n;
let cache: Uint32Array;
let dataset: Uint32Array;
let reference: DagReader;
let backend: WasmBackend;

const expected = (job: SearchJob, start: bigint, count: number): Solution[] => referenceSearch(reference, job, start, count);

const show = (s: Solution[]) => s.map((x) => `${x.nonce.toString(16)} ${bytesTo0x(x.mixDigest)} ${bytesTo0x(x.finalHash)}`);

before(async () => {
  cache = makeLightCache(spec.cacheSize, spec.seedHash);
  dataset = makeDataset(cache, spec.datasetSize);
  reference = fullDag(dataset, spec.datasetSize);
  backend = createWasmBackend({ threads: 2 });
  await backend.prepare(spec);
});

after(async () => {
  await backend.close();
});

function sameBytes(a: Uint8Array, b: Uint32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

test('readDag into a reused piece buffer: the same bytes at the start of that buffer; a buffer too small is refused', () => {
  const piece = new Uint8Array(1 << 16).fill(0xa5);
  const offset = 12_345 * 64 + 7;
  const read = backend.readDag(offset, 40_000, piece);
  assert.equal(read.buffer, piece.buffer);
  assert.equal(read.byteOffset, 0);
  const expected = Buffer.from(dataset.buffer, dataset.byteOffset + offset, 40_000);
  assert.ok(Buffer.from(read).equals(expected));
  assert.ok(Buffer.from(backend.readDag(offset, 40_000)).equals(expected));
  assert.equal(piece[40_000], 0xa5, 'bytes past the length are left alone');
  assert.throws(() => backend.readDag(0, piece.length + 1, piece), RangeError);
});

test('the DAG built on 2 threads equals the TypeScript dataset, and so does the one built on 1 thread', async () => {
  const bytes = dataset.byteLength;
  assert.equal(bytes, spec.datasetSize - (spec.datasetSize % 64));
  assert.ok(sameBytes(backend.readDag(0, bytes), dataset), '2 threads');
  const single = createWasmBackend({ threads: 1 });
  try {
    const progress: number[] = [];
    await single.prepare(spec, (p) => progress.push(p.done / p.total));
    assert.equal(progress.at(-1), 1);
    assert.ok(sameBytes(single.readDag(0, bytes), dataset), '1 thread');
  } finally {
    await single.close();
  }
});

test('a light cache given to prepare() is the one used; one of the wrong size is refused', async () => {
  const given = createWasmBackend({ threads: 2 });
  try {
    await given.prepare(spec, undefined, cache);
    assert.ok(sameBytes(given.readDag(0, dataset.byteLength), dataset), 'the DAG from the epoch\'s cache, given');
  } finally {
    await given.close();
  }
  // A cache that is not the epoch's shows that the one given is the one used.
  const altered = cache.slice();
  altered[5] ^= 1;
  const fromAltered = createWasmBackend({ threads: 1 });
  try {
    await fromAltered.prepare(spec, undefined, altered);
    const item = new Uint32Array(16);
    for (const index of [0, 1, 77, 4095]) {
      calcDatasetItem(altered, index, item);
      assert.ok(sameBytes(fromAltered.readDag(index * 64, 64), item), `item ${index} from the altered cache`);
    }
    assert.ok(!sameBytes(fromAltered.readDag(0, 64 * 4096), dataset.subarray(0, 16 * 4096)));
    await assert.rejects(fromAltered.prepare({ ...spec, epoch: spec.epoch + 1 }, undefined, cache.subarray(1)), /light cache given has/);
  } finally {
    await fromAltered.close();
  }
});

test('random ranges: every solution, in nonce order, equal to the reference', async () => {
  const target = (1n << 256n) / 8n;
  const starts = [
    BigInt('0x' + randomBytes(8).toString('hex')),
    BigInt('0x' + randomBytes(8).toString('hex')),
    U64 - 37n, // the range wraps past 2^64 - 1
  ];
  for (const start of starts) {
    const count = 150 + Math.floor(Math.random() * 150);
    const job: SearchJob = { headerHash: randomBytes(32), height: BLOCK + Math.floor(Math.random() * 500), target };
    const got = await backend.search(job, start, count);
    assert.equal(got.hashes, count);
    assert.deepEqual(show(got.solutions), show(expected(job, start, count)), `start 0x${start.toString(16)}`);
  }
});

test('a target of 2^256 - 1 returns every nonce; a target of 0 none', async () => {
  const job: SearchJob = { headerHash: randomBytes(32), height: BLOCK, target: (1n << 256n) - 1n };
  const all = await backend.search(job, 1000n, 37);
  assert.deepEqual(show(all.solutions), show(expected(job, 1000n, 37)));
  assert.equal(all.solutions.length, 37);
  const none = await backend.search({ ...job, target: 0n }, 1000n, 37);
  assert.equal(none.solutions.length, 0);
  assert.equal(none.hashes, 37);
});

test('consecutive jobs in different program periods give the reference results', async () => {
  const header = randomBytes(32);
  const target = (1n << 256n) / 4n;
  for (const height of [1_249, 1_250, 1_300, 1_249]) {
    const job: SearchJob = { headerHash: header, height, target };
    const got = await backend.search(job, 77n, 64);
    assert.deepEqual(show(got.solutions), show(expected(job, 77n, 64)), `block ${height}`);
  }
});

for (const options of [
  { placement: 'external', outsideChunkShift: 20 }, // all 16 MiB outside, in 1 MiB chunks
  { placement: 'split', wasmDagBytes: 5 << 20, outsideChunkShift: 22 }, // 5 MiB inside, the rest in 4 MiB chunks
] as const) {
  test(`a DAG partly or wholly outside wasm memory (the >4 GiB path): ${JSON.stringify(options)}`, async () => {
    const other = createWasmBackend({ threads: 2, ...options });
    try {
      await other.prepare(spec);
      assert.equal(other.dagPlacement, options.placement);
      assert.equal(backend.dagPlacement, 'wasm');
      assert.ok(sameBytes(other.readDag(0, dataset.byteLength), dataset), 'DAG bytes');
      const job: SearchJob = { headerHash: randomBytes(32), height: BLOCK, target: (1n << 256n) / 8n };
      const start = BigInt('0x' + randomBytes(8).toString('hex'));
      const [a, b] = [await other.search(job, start, 400), await backend.search(job, start, 400)];
      assert.ok(a.solutions.length > 0);
      assert.deepEqual(show(a.solutions), show(b.solutions));
      assert.deepEqual(show(a.solutions.slice(0, 10)), show(expected(job, start, 400).slice(0, 10)));
    } finally {
      await other.close();
    }
  });
}

test('a search stops within milliseconds and the next job starts at once', async () => {
  const job: SearchJob = { headerHash: randomBytes(32), height: BLOCK, target: 0n };
  const controller = new AbortController();
  const started = performance.now();
  const running = backend.search(job, 0n, 50_000_000, controller.signal);
  await new Promise((r) => setTimeout(r, 200));
  const abortedAt = performance.now();
  controller.abort();
  const stopped = await running;
  const stopMs = performance.now() - abortedAt;
  assert.ok(stopped.hashes > 0 && stopped.hashes < 50_000_000, `hashed ${stopped.hashes}`);
  assert.ok(stopMs < 50, `stopped after ${stopMs.toFixed(1)} ms`);
  assert.ok(abortedAt - started >= 200);

  const next: SearchJob = { headerHash: randomBytes(32), height: BLOCK + 60, target: (1n << 256n) / 4n };
  const restartAt = performance.now();
  const got = await backend.search(next, 5n, 16);
  assert.ok(performance.now() - restartAt < 1000);
  assert.deepEqual(show(got.solutions), show(expected(next, 5n, 16)));
});

test('an already aborted signal hashes nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const got = await backend.search({ headerHash: randomBytes(32), height: BLOCK, target: 0n }, 0n, 1000, controller.signal);
  assert.equal(got.hashes, 0);
});

test('a job from another epoch is refused', async () => {
  await assert.rejects(backend.search({ headerHash: randomBytes(32), height: 30_000, target: 0n }, 0n, 8), /epoch/);
});

test('close() stops a running search and later calls reject', async () => {
  const other = createWasmBackend({ threads: 2 });
  await other.prepare(spec);
  const running = other.search({ headerHash: randomBytes(32), height: BLOCK, target: 0n }, 0n, 50_000_000);
  await new Promise((r) => setTimeout(r, 100));
  const closedAt = performance.now();
  await other.close();
  assert.ok(performance.now() - closedAt < 1000);
  await assert.rejects(running);
  await assert.rejects(other.search({ headerHash: randomBytes(32), height: BLOCK, target: 0n }, 0n, 8), /closed/);
});
