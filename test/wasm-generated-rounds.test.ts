// The periods' generated modules (render-rounds.ts) against the reference on the small DAG:
// the encoder's output validates for many periods; searches over several periods, with period
// changes between searches and after one stopped midway, with odd batch sizes and with the DAG
// outside wasm memory, equal the reference; and the next period's module is compiled ahead, so
// its first job runs generated at once while a period nobody prepared is interpreted meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dagSpecForBlock, periodOf } from '../src/pow/epoch.js';
import { fullDag, type DagReader } from '../src/pow/progpow.js';
import { buildProgram } from '../src/pow/progpow-program.js';
import { bytesTo0x } from '../src/util/hex.js';
import { createWasmBackend, type WasmBackend, type WasmBackendOptions } from '../src/backends/wasm/index.js';
import { renderRoundsModule } from '../src/backends/wasm/render-rounds.js';
import type { SearchJob, Solution } from '../src/backends/backend.js';
import { ANY_TARGET, referenceSearch } from './support/backend-checks.js';

const BLOCK = 1_234;
const spec = dagSpecForBlock(BLOCK, 'small');
let reference: DagReader;
let backend: WasmBackend;

const show = (s: Solution[]) => s.map((x) => `${x.nonce.toString(16)} ${bytesTo0x(x.mixDigest)} ${bytesTo0x(x.finalHash)}`);
const expected = (job: SearchJob, start: bigint, count: number) => show(referenceSearch(reference, job, start, count));

async function withBackend(options: WasmBackendOptions, f: (b: WasmBackend) => Promise<void>): Promise<void> {
  const b = createWasmBackend(options);
  try {
    await b.prepare(spec);
    await f(b);
  } finally {
    await b.close();
  }
}

before(async () => {
  backend = createWasmBackend({ threads: 2, engine: 'generated' });
  await backend.prepare(spec);
  // the DAG itself is checked against the TypeScript dataset in wasm-small-dag.test.ts
  const bytes = backend.readDag(0, backend.lastBuild!.dagBytes);
  reference = fullDag(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), spec.datasetSize);
});

after(async () => {
  await backend.close();
});

test('the module of every period tried validates, in each body width, and is the same bytes when rendered again', () => {
  const periods = [...Array.from({ length: 64 }, (_, i) => i), 18_808, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12_345];
  for (let i = 0; i < 64; i++) periods.push(Math.floor(Math.random() * 2 ** 44));
  for (const period of periods) {
    const program = buildProgram(period);
    for (const groups of [1, 2, 4] as const) {
      const bytes = renderRoundsModule(program, { groups });
      assert.ok(WebAssembly.validate(bytes), `period ${period}, ${groups} groups`);
      if (groups === 2) assert.deepEqual(renderRoundsModule(program, { groups }), bytes);
    }
  }
});

test('every nonce of ranges in several periods, period changes between searches: the reference digests, all generated', async () => {
  const header = randomBytes(32);
  const before = { ...backend.hashesByEngine };
  for (const height of [1_249, 1_250, 1_300, 1_249, 1_499, 1_500]) {
    const job: SearchJob = { headerHash: header, height, target: ANY_TARGET };
    const start = BigInt('0x' + randomBytes(8).toString('hex'));
    const got = await backend.search(job, start, 53);
    assert.deepEqual(show(got.solutions), expected(job, start, 53), `block ${height}`);
  }
  assert.equal(backend.hashesByEngine.interpreter, before.interpreter);
  assert.equal(backend.hashesByEngine.generated - before.generated, 6 * 53);
});

test('a search stopped midway, then a job of the next period: the reference results', async () => {
  const controller = new AbortController();
  const running = backend.search({ headerHash: randomBytes(32), height: 1_299, target: 0n }, 0n, 50_000_000, controller.signal);
  await new Promise((r) => setTimeout(r, 150));
  controller.abort();
  const stopped = await running;
  assert.ok(stopped.hashes > 0 && stopped.hashes < 50_000_000);
  const job: SearchJob = { headerHash: randomBytes(32), height: 1_300, target: (1n << 256n) / 8n };
  const got = await backend.search(job, 7n, 400);
  assert.ok(got.solutions.length > 0);
  assert.deepEqual(show(got.solutions), expected(job, 7n, 400));
});

for (const options of [
  { threads: 1, batch: 1 },
  { threads: 2, batch: 3 },
  { threads: 1, placement: 'external', outsideChunkShift: 20 },
  { threads: 2, placement: 'split', wasmDagBytes: 5 << 20, outsideChunkShift: 22 },
] as const) {
  test(`generated with ${JSON.stringify(options)}: the reference results`, async () => {
    await withBackend({ ...options, engine: 'generated' }, async (b) => {
      const job: SearchJob = { headerHash: randomBytes(32), height: BLOCK, target: (1n << 256n) / 4n };
      const start = BigInt('0x' + randomBytes(8).toString('hex'));
      const got = await b.search(job, start, 97);
      assert.deepEqual(show(got.solutions), expected(job, start, 97));
      assert.equal(b.hashesByEngine.interpreter, 0);
    });
  });
}

test('the next period is compiled ahead: its first job runs generated, and a period nobody prepared is interpreted meanwhile', async () => {
  await withBackend({ threads: 2 }, async (b) => {
    const header = randomBytes(32);
    const height = 1_349; // the last block of its period
    const next = height + 1;
    // Nothing was prepared: the first job is searched at once, by the interpreter, and exactly.
    const first: SearchJob = { headerHash: header, height, target: (1n << 256n) / 4n };
    const got = await b.search(first, 0n, 64);
    assert.deepEqual(show(got.solutions), expected(first, 0n, 64));
    assert.equal(b.hashesByEngine.interpreter, 64);
    // That search started its own period's compile and the next one's, before any job of it.
    assert.notEqual(b.roundsState(periodOf(next)), 'none');
    await b.prepareRounds(height);
    await b.prepareRounds(next); // what the ~11 minutes of a real period leave plenty of time for
    const job: SearchJob = { headerHash: header, height: next, target: (1n << 256n) / 4n };
    const after = await b.search(job, 0n, 64);
    assert.deepEqual(show(after.solutions), expected(job, 0n, 64));
    assert.equal(b.hashesByEngine.interpreter, 64, 'the new period never ran the interpreter');
    assert.equal(b.hashesByEngine.generated, 64);
    // and a job going back to the previous period is still generated
    await b.search(first, 64n, 32);
    assert.equal(b.hashesByEngine.generated, 96);
  });
});
