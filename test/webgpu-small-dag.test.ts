// The WebGPU backend on the small DAG against the TypeScript reference: the whole DAG bit for
// bit (in one buffer, split over sixteen, in a texture; built by the kernel and on the host),
// and searches over random ranges, across a period boundary, with every kernel variant, with
// overflowing candidate buffers and stopped early.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dagSpec, type DagSpec } from '../src/pow/epoch.js';
import { makeDataset, makeLightCache } from '../src/pow/ethash.js';
import { fullDag, progpowHash, type DagReader, type ProgpowResult } from '../src/pow/progpow.js';
import { meetsTarget } from '../src/pow/target.js';
import type { SearchJob, SearchResult } from '../src/backends/backend.js';
import { createWebgpuBackend, hasWebgpuAdapter, openGpu, type WebgpuBackend, type WebgpuBackendOptions } from '../src/backends/webgpu/index.js';
import { availableParallelism } from 'node:os';
import { buildGpuDag, type GpuDag } from '../src/backends/webgpu/dag-builder.js';
import { planDagLayout, planTextureLayout, TEXEL_BYTES, type GpuDagLayout } from '../src/backends/webgpu/dag-layout.js';
import { buildDagOnHost } from '../src/backends/webgpu/host-dag.js';
import type { GpuContext } from '../src/backends/webgpu/gpu-context.js';
import { readBack } from '../src/backends/webgpu/wait.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const U64 = 1n << 64n;
const HEIGHT = 12_340; // epoch 0, period 246
const spec: DagSpec = dagSpec(0, 'small');
const LAUNCH = { workgroupSize: 64, groups: 4, batch: 512 };

let cache: Uint32Array;
let dataset: Uint32Array;
let reference: DagReader;
const backends: WebgpuBackend[] = [];

before(() => {
  if (skip) return;
  cache = makeLightCache(spec.cacheSize, spec.seedHash);
  dataset = makeDataset(cache, spec.datasetSize);
  reference = fullDag(dataset, spec.datasetSize);
});
after(async () => {
  for (const backend of backends) await backend.close();
});

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

/** A prepared backend with the fixed test launch, or tuned when `tuned` is set. */
async function backend(options: WebgpuBackendOptions, tuned = false): Promise<WebgpuBackend> {
  const b = await createWebgpuBackend({ launch: tuned ? undefined : LAUNCH, ...options });
  backends.push(b);
  await b.prepare(spec);
  return b;
}

/** Reference hashes, computed once per (header, height, nonce) and shared by every test. */
const hashes = new Map<string, ProgpowResult>();
function referenceHash(job: SearchJob, nonce: bigint): ProgpowResult {
  const key = `${Buffer.from(job.headerHash).toString('hex')}:${job.height}:${nonce}`;
  let r = hashes.get(key);
  if (!r) {
    r = progpowHash(job.headerHash, nonce, job.height, reference);
    hashes.set(key, r);
  }
  return r;
}

function expectedSearch(job: SearchJob, start: bigint, count: number): SearchResult {
  const solutions = [];
  for (let i = 0; i < count; i++) {
    const nonce = (start + BigInt(i)) % U64;
    const r = referenceHash(job, nonce);
    if (meetsTarget(r.finalHash, job.target)) solutions.push({ nonce, ...r });
  }
  return { solutions, hashes: count };
}

function assertSameResult(actual: SearchResult, expected: SearchResult, what: string): void {
  assert.equal(actual.hashes, expected.hashes, `${what}: hashes`);
  const show = (r: SearchResult) => r.solutions.map((s) => `${s.nonce.toString(16)} ${Buffer.from(s.mixDigest).toString('hex')} ${Buffer.from(s.finalHash).toString('hex')}`);
  assert.deepEqual(show(actual), show(expected), `${what}: solutions`);
}

/** About one nonce in `rate` is a solution. */
const target = (rate: number) => (1n << 256n) / BigInt(rate);

/** Random ranges, one of them wrapping past 2^64 - 1; the header and starts are printed on failure. */
const ranges = [
  { header: randomBytes(32), start: BigInt('0x' + randomBytes(8).toString('hex')), count: 1200 },
  { header: randomBytes(32), start: BigInt('0x' + randomBytes(4).toString('hex')), count: 777 },
  { header: randomBytes(32), start: U64 - 300n, count: 1000 },
];
const jobOf = (r: (typeof ranges)[number], height = HEIGHT, rate = 32): SearchJob => ({ headerHash: r.header, height, target: target(rate) });
const describe = (r: (typeof ranges)[number]) => `header ${r.header.toString('hex')} start 0x${r.start.toString(16)}`;

/** The DAG's bytes as the GPU holds them: each buffer in turn, or the texture's rows up to the DAG's end. */
async function readGpuDag(ctx: GpuContext, dag: GpuDag): Promise<Uint32Array[]> {
  const { device } = ctx;
  const read = async (size: number, copy: (encoder: GPUCommandEncoder, readback: GPUBuffer) => void) => {
    const readback = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    copy(encoder, readback);
    device.queue.submit([encoder.finish()]);
    const words = new Uint32Array((await readBack(ctx, readback, 0)).data);
    readback.destroy();
    return words;
  };
  const layout = dag.layout;
  if (layout.kind === 'buffers') return Promise.all(dag.buffers.map((buffer) => read(buffer.size, (e, r) => e.copyBufferToBuffer(buffer, 0, r, 0, buffer.size))));
  const bytesPerRow = layout.width * TEXEL_BYTES;
  const words = await read(bytesPerRow * layout.height * layout.layers, (e, r) =>
    e.copyTextureToBuffer({ texture: dag.texture! }, { buffer: r, bytesPerRow, rowsPerImage: layout.height }, [layout.width, layout.height, layout.layers]),
  );
  return [words.subarray(0, layout.totalBytes / 4)];
}

test('the small DAG is bit-exact: in one buffer, over 16 buffers of 1 MiB, in a texture of 1 and of 16 layers; by the kernel and by the host', { skip }, async () => {
  // A 256-texel cap spreads the texture over 16 layers of 256 rows, as a mainnet DAG needs several.
  const forms: { maxBindingBytes?: number; maxTextureDimension?: number; storage: 'buffers' | 'texture'; builder: 'gpu' | 'host'; parts: number }[] = [
    { storage: 'buffers', builder: 'gpu', parts: 1 },
    { maxBindingBytes: 2 ** 20, storage: 'buffers', builder: 'gpu', parts: 16 },
    { storage: 'texture', builder: 'gpu', parts: 1 },
    { maxTextureDimension: 256, maxBindingBytes: 2 ** 20, storage: 'texture', builder: 'gpu', parts: 16 },
    { maxTextureDimension: 256, storage: 'texture', builder: 'host', parts: 16 },
    { maxBindingBytes: 2 ** 20, storage: 'buffers', builder: 'host', parts: 16 },
  ];
  for (const form of forms) {
    const what = `${form.storage} in ${form.parts} part(s), built by the ${form.builder}${form.maxBindingBytes ? ' through 1 MiB bindings' : ''}`;
    const ctx = await openGpu({ maxBindingBytes: form.maxBindingBytes, maxTextureDimension: form.maxTextureDimension });
    try {
      const { limits } = ctx.device;
      const layout: GpuDagLayout =
        form.storage === 'texture'
          ? planTextureLayout(spec.datasetSize, ctx.maxTextureDimension, limits.maxTextureArrayLayers)
          : planDagLayout(spec.datasetSize, ctx.maxBindingBytes, ctx.maxBufferBytes);
      assert.equal(layout.kind === 'buffers' ? layout.chunkEntries.length : layout.layers, form.parts, what);
      let progress = 0;
      const onProgress = (p: { done: number; total: number }) => {
        assert.ok(p.done >= progress && p.done <= p.total, what);
        progress = p.done;
      };
      // One host build is given the light cache, the other generates its own.
      const hostCache = form.storage === 'buffers' ? cache : undefined;
      const dag = form.builder === 'host' ? await buildDagOnHost(ctx, spec, layout, onProgress, hostCache) : await buildGpuDag(ctx, spec, cache, layout, onProgress);
      assert.equal(progress, layout.entries * 4, `${what}: progress reaches every item`);
      let offset = 0;
      for (const words of await readGpuDag(ctx, dag)) {
        const expected = dataset.subarray(offset, offset + words.length);
        const firstDiff = words.findIndex((w, i) => w !== expected[i]);
        assert.equal(firstDiff, -1, `${what}: first difference at word ${offset + firstDiff}`);
        offset += words.length;
      }
      assert.equal(offset, dataset.length, what);
      assert.deepEqual(ctx.takeUncapturedErrors(), [], what);
      dag.destroy();
    } finally {
      ctx.close();
    }
  }
});

test('workgroup lane exchange: random ranges equal the reference', { skip }, async () => {
  const b = await backend({ exchange: 'workgroup' });
  assert.equal(b.tuning?.config.exchange, 'workgroup');
  for (const r of ranges) {
    assertSameResult(await b.search(jobOf(r), r.start, r.count), expectedSearch(jobOf(r), r.start, r.count), describe(r));
  }
  assert.equal(b.gpuMismatches, 0);
});

test('subgroup lane exchange: the same ranges equal the reference', { skip }, async (t) => {
  const ctx = await openGpu();
  const subgroups = ctx.subgroups;
  ctx.close();
  if (!subgroups) {
    t.skip('the adapter has no subgroups');
    return;
  }
  // The subgroup exchange reads DAG buffers only (lavapipe gets it wrong from a texture).
  const b = await backend({ exchange: 'subgroup', dagStorage: 'buffers' });
  assert.equal(b.tuning?.config.exchange, 'subgroup');
  for (const r of ranges) {
    assertSameResult(await b.search(jobOf(r), r.start, r.count), expectedSearch(jobOf(r), r.start, r.count), describe(r));
  }
});

test('one invocation per hash (no lane exchange), DAG in a texture of 16 layers: the same ranges equal the reference', { skip }, async () => {
  const b = await backend({ exchange: 'none', dagStorage: 'texture', maxTextureDimension: 256 });
  assert.equal(b.tuning?.config.threadsPerHash, 1);
  assert.equal(b.lastBuild?.storage, 'texture');
  assert.equal(b.dagLayout?.kind === 'texture' && b.dagLayout.layers, 16);
  for (const r of ranges) {
    assertSameResult(await b.search(jobOf(r), r.start, r.count), expectedSearch(jobOf(r), r.start, r.count), describe(r));
  }
  assert.equal(b.gpuMismatches, 0);
});

test('across a period boundary: the next period is compiled ahead and both equal the reference', { skip }, async () => {
  const b = await backend({ exchange: 'workgroup' });
  const r = ranges[0]!;
  const last = 12_349; // last block of period 246
  const before = await b.search(jobOf(r, last), r.start, 600);
  await b.kernelsSettled();
  assert.ok(b.isPeriodCompiled(247), 'period 247 compiled while 246 was searching');
  const afterSwitch = await b.search(jobOf(r, last + 1), r.start, 600);
  assertSameResult(before, expectedSearch(jobOf(r, last), r.start, 600), `height ${last}, ${describe(r)}`);
  assertSameResult(afterSwitch, expectedSearch(jobOf(r, last + 1), r.start, 600), `height ${last + 1}, ${describe(r)}`);
  assert.notDeepEqual(before.solutions.map((s) => s.nonce), afterSwitch.solutions.map((s) => s.nonce), 'the programs differ');
});

test('DAG over 8 buffers, candidate buffer overflowing: results still equal the reference', { skip }, async () => {
  // 16 candidate slots against ~128 candidates per 512-nonce dispatch: every dispatch overflows.
  const b = await backend({ exchange: 'workgroup', dagStorage: 'buffers', maxBindingBytes: 2 * 2 ** 20, maxCandidates: 16 });
  assert.equal(b.lastBuild?.buffers, 8);
  const r = ranges[1]!;
  const job = jobOf(r, HEIGHT, 4);
  assertSameResult(await b.search(job, r.start, r.count), expectedSearch(job, r.start, r.count), describe(r));
});

test('auto-tuned launch: at least one workgroup per core, measured, with its reason, and results equal the reference', { skip }, async () => {
  const b = await backend({}, true);
  const tuning = b.tuning!;
  const sweep = `reason: ${tuning.reason}`;
  assert.ok(tuning.rate > 0 && tuning.trials.length >= 2, `${tuning.trials.length} trials; ${sweep}`);
  // Measured, not assumed: a trial at the chosen shape is there, and the sweep reached every core.
  assert.ok(tuning.trials.some((t) => t.config === tuning.config && t.groups === tuning.shape.groups), sweep);
  const cores = availableParallelism();
  if (b.ctx.summary.isFallbackAdapter) {
    assert.ok(tuning.shape.groups >= cores, `${tuning.shape.groups} workgroups on ${cores} cores; ${sweep}`);
  }
  assert.match(tuning.reason, /^chose /);
  const step = tuning.shape.groups * (tuning.config.workgroupSize / tuning.config.threadsPerHash);
  assert.equal(tuning.shape.batch % step, 0, 'batches are whole rounds of every workgroup');
  const r = ranges[1]!;
  assertSameResult(await b.search(jobOf(r), r.start, r.count), expectedSearch(jobOf(r), r.start, r.count), describe(r));
});

test('a stop request ends the search early with everything found so far', { skip }, async () => {
  const b = backends[0] ?? (await backend({ exchange: 'workgroup' }));
  const r = ranges[0]!;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const job = jobOf(r);
  const result = await b.search(job, r.start, 10_000_000, controller.signal);
  assert.ok(result.hashes > 0 && result.hashes < 10_000_000, `${result.hashes} hashes`);
  assertSameResult(result, expectedSearch(job, r.start, result.hashes), `stopped search, ${describe(r)}`);
});

test('a closed backend refuses prepare and search at once instead of never answering', { skip }, async () => {
  const b = await createWebgpuBackend({ exchange: 'workgroup' });
  await b.prepare(spec);
  await b.close();
  const r = ranges[0]!;
  await assert.rejects(b.prepare(spec), /the webgpu backend is closed/);
  await assert.rejects(b.search(jobOf(r), r.start, 1024), /the webgpu backend is closed/);
});

test('a new job is queued behind at most one full batch and a bridge, before the old search ends, and the old one still reports', { skip }, async () => {
  let oldEnded = false;
  const events: { job: SearchJob; bridge: boolean; inFlight: number; oldEnded: boolean }[] = [];
  const b = await backend({ exchange: 'workgroup', onDispatch: (d) => events.push({ job: d.job, bridge: d.bridge, inFlight: d.inFlight, oldEnded }) });
  const [r1, r2] = [ranges[0]!, ranges[1]!];
  const oldJob = jobOf(r1);
  const newJob = jobOf(r2);
  const stop = new AbortController();
  const oldSearch = b.search(oldJob, r1.start, 10_000_000, stop.signal);
  void oldSearch.then(() => (oldEnded = true));
  await waitFor(() => events.filter((e) => e.job === oldJob).length >= 5);
  stop.abort();
  const abortedAt = events.length;
  const newSearch = b.search(newJob, r2.start, r2.count);
  const [oldResult, newResult] = await Promise.all([oldSearch, newSearch]);

  // The new job goes to the device as soon as the old job's running batch leaves it, while
  // the old search still reads back its last batch: one old batch ahead of it, not two.
  const first = events.find((e) => e.job === newJob)!;
  assert.equal(first.oldEnded, false, 'the new job is queued before the old search has ended');
  assert.equal(first.inFlight, 2, 'the new job is queued behind one old batch');
  assert.equal(events.slice(abortedAt).filter((e) => e.job === oldJob).length, 0, 'nothing of the old job is queued after the stop');
  // Full batches and bridges alternate across both jobs, two at most in flight: never two full batches queued.
  events.forEach((e, i) => {
    assert.equal(e.bridge, i % 2 === 1, `dispatch ${i}`);
    assert.ok(e.inFlight <= 2, `dispatch ${i}: ${e.inFlight} in flight`);
  });
  assertSameResult(oldResult, expectedSearch(oldJob, r1.start, oldResult.hashes), `stopped search, ${describe(r1)}`);
  assertSameResult(newResult, expectedSearch(newJob, r2.start, r2.count), `next search, ${describe(r2)}`);
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
