// Benchmarks of the WASM backend, each figure beside the TypeScript reference (or the other
// configuration it is compared with) measured in the same run. Prints one JSON object per
// measurement, then a summary object.
//   node dist/bench/wasm.js            light cache, light hash (and its memory-latency bound), items, small-DAG hash rates (1 vs 2 threads)
//   node dist/bench/wasm.js --full     + the 1 GiB epoch-0 DAG: build time, 1 vs 2 threads, DAG partly/wholly outside wasm memory, the cost of its random reads
//   node dist/bench/wasm.js --mainnet  + epoch 600 (5.7 GiB DAG, split across wasm memory and outside; ~8 GiB RAM)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dagSpec, type DagSpec } from '../src/pow/epoch.js';
import { calcDatasetItem, DATASET_PARENTS, makeLightCache } from '../src/pow/ethash.js';
import { PROGPOW_CNT_DAG } from '../src/pow/progpow-program.js';
import { fullDag, lightDag, progpowHash } from '../src/pow/progpow.js';
import { createWasmBackend, makeLightCacheWasm, WasmLightHasher, type WasmBackend, type WasmBackendOptions } from '../src/backends/wasm/index.js';
import { args, SECONDS, results, report } from './report.js';
import { machineInfo, measureHashrate } from '../src/backends/measure.js';

function seconds(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Best of several timed batches of light hashes, in ms per hash. */
function lightHashMs(hash: (nonce: bigint) => void, perBatch: number, batches: number): number {
  let best = Infinity;
  let nonce = 0n;
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < perBatch; i++) hash(nonce++);
    best = Math.min(best, (performance.now() - t) / perBatch);
  }
  return best;
}

/**
 * Nanoseconds per dependent load over a buffer of `bytes`: a chase through its 64-byte rows in
 * one random cycle (Sattolo's shuffle), so every load misses whatever the caches cannot hold
 * and the prefetchers cannot guess the next row. Best of three runs.
 */
function pointerChaseNs(bytes: number, steps = 2_000_000): number {
  const rows = Math.floor(bytes / 64);
  const next = new Int32Array(rows);
  for (let i = 0; i < rows; i++) next[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * i);
    [next[i], next[j]] = [next[j]!, next[i]!];
  }
  const words = new Int32Array(rows * 16);
  for (let i = 0; i < rows; i++) words[i * 16] = next[i]! * 16;
  let best = Infinity;
  let at = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    for (let s = 0; s < steps; s++) at = words[at]!;
    best = Math.min(best, ((performance.now() - t) * 1e6) / steps);
  }
  if (at < 0) throw new Error('unreachable: keeps the chase from being optimised away');
  return best;
}

/**
 * Nanoseconds per 256-byte entry read from random places of a `bytes` buffer (as a search
 * reads a DAG: one word of each of its 4 lines), `inFlight` entries at a time whose addresses
 * do not depend on each other's data; 1 is the latency of a dependent chain. Best of three.
 */
function entryFetchNs(words: Int32Array, inFlight: number, entries = 400_000): number {
  const count = words.length >> 6;
  // one cycle through every entry (Sattolo's shuffle), so no chain falls into a short loop that caches hold
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < count; i++) words[order[i]! << 6] = order[(i + 1) % count]!;
  const next = new Int32Array(inFlight);
  let best = Infinity;
  let sink = 0;
  for (let run = 0; run < 3; run++) {
    for (let k = 0; k < inFlight; k++) next[k] = Math.floor(Math.random() * count);
    const t = performance.now();
    for (let done = 0; done < entries; done += inFlight) {
      for (let k = 0; k < inFlight; k++) {
        const p = next[k]! << 6;
        const w = words[p]!;
        sink ^= words[p + 16]! ^ words[p + 32]! ^ words[p + 48]!;
        next[k] = w; // the next entry of this chain depends on this one's data, as a mix does
      }
    }
    best = Math.min(best, ((performance.now() - t) * 1e6) / entries);
  }
  if (sink === 0.5) throw new Error('unreachable: keeps the reads from being optimised away');
  return best;
}

/** TypeScript reference hash rate over a dataset (full mode), hashes per second. */
function referenceHashrate(dataset: Uint32Array, spec: DagSpec, block: number, budgetSeconds: number): number {
  const dag = fullDag(dataset, spec.datasetSize);
  const header = randomBytes(32);
  for (let i = 0; i < 5; i++) progpowHash(header, BigInt(i), block, dag);
  let n = 0;
  const t = performance.now();
  while ((performance.now() - t) / 1000 < budgetSeconds) progpowHash(header, BigInt(1000 + n++), block, dag);
  return n / ((performance.now() - t) / 1000);
}

async function withBackend<T>(options: WasmBackendOptions, spec: DagSpec, f: (b: WasmBackend) => Promise<T>): Promise<T> {
  const backend = createWasmBackend(options);
  try {
    await backend.prepare(spec);
    return await f(backend);
  } finally {
    await backend.close();
  }
}

async function hashrate(backend: WasmBackend, block: number): Promise<number> {
  return round((await measureHashrate(backend, block, SECONDS, 2)).hashrate);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Rates {
  /** Hashes per second, median of the windows. */
  readonly wall: number;
  /** Hashes per CPU second of this process (per busy thread), median of the windows. */
  readonly perCpuSecond: number;
}

/**
 * Hash rates of several backends (all prepared), measured in alternating short windows so
 * that load from other processes on a shared machine falls on all of them alike; medians.
 */
async function interleavedHashrates(backends: Record<string, WasmBackend>, block: number, rounds = 9): Promise<Record<string, Rates>> {
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (const [name, b] of Object.entries(backends)) {
    await measureHashrate(b, block, 1, 1); // warm-up
    wall[name] = [];
    cpu[name] = [];
  }
  const window = Math.max(0.5, SECONDS / rounds);
  for (let r = 0; r < rounds; r++) {
    for (const [name, b] of Object.entries(backends)) {
      const m = await measureHashrate(b, block, window, 0);
      wall[name]!.push(m.hashrate);
      cpu[name]!.push(m.hashes / m.cpuSeconds);
    }
  }
  return Object.fromEntries(Object.keys(backends).map((name) => [name, { wall: round(median(wall[name]!)), perCpuSecond: round(median(cpu[name]!)) }]));
}

/**
 * The comparisons of one set of interleaved rates: 1 vs 2 threads, the DAG partly or wholly
 * outside wasm memory vs inside (single threads, where other processes interfere least),
 * and the TypeScript reference.
 */
function hashrateFigures(rates: Record<string, Rates>, typescript: number): Record<string, number> {
  const one = rates.one!;
  const out: Record<string, number> = {
    wasm1Thread: one.wall,
    wasm2Threads: rates.two!.wall,
    scaling2v1: ratio(rates.two!.wall, one.wall),
    perThreadEfficiency2v1: ratio(rates.two!.perCpuSecond, one.perCpuSecond),
    wasm1ThreadAllOutside: rates.outside!.wall,
    allOutsideVsInside: ratio(rates.outside!.perCpuSecond, one.perCpuSecond),
    typescript1Thread: round(typescript),
    speedupPerThread: ratio(one.wall, typescript),
  };
  if (rates.split) {
    out.wasm1ThreadSplit69 = rates.split.wall;
    out.split69VsInside = ratio(rates.split.perCpuSecond, one.perCpuSecond);
  }
  return out;
}

async function closeAll(backends: Record<string, WasmBackend>): Promise<void> {
  await Promise.all(Object.values(backends).map((b) => b.close()));
}

async function epoch0Light(): Promise<void> {
  const spec = dagSpec(0);
  let cache!: Uint32Array;
  const wasmCache = seconds(() => (cache = makeLightCacheWasm(spec.cacheSize, spec.seedHash)));
  const tsCache = seconds(() => makeLightCache(spec.cacheSize, spec.seedHash));
  report('lightCache.epoch0', { wasmSeconds: round(wasmCache, 3), typescriptSeconds: round(tsCache, 2), speedup: ratio(tsCache, wasmCache) });

  const hasher = new WasmLightHasher(spec, cache);
  const header = randomBytes(32);
  const wasmMs = lightHashMs((n) => hasher.hash(header, n, 1000), 100, 5);
  const tsDag = lightDag(cache, spec.datasetSize);
  const tsMs = lightHashMs((n) => progpowHash(header, n, 1000, tsDag), 5, 3);
  report('lightHash.epoch0', { wasmMs: round(wasmMs, 3), typescriptMs: round(tsMs, 2), speedup: ratio(tsMs, wasmMs), nativeReferenceMs: 2.7 });
  // A light hash computes one DAG entry per round: 4 items whose 256 parent reads each depend
  // on the one before, the 4 chains in lockstep. Its floor is 64 rounds of 256 dependent
  // loads from a buffer the size of the light cache, timed here in the same run.
  const chaseNs = pointerChaseNs(spec.cacheSize);
  const boundMs = (PROGPOW_CNT_DAG * DATASET_PARENTS * chaseNs) / 1e6;
  // The same hash over the small DAG's 64 KiB light cache, which stays in L2: the same work
  // (64 rounds of 4 items of 256 parents, 8 keccak-512s a round) without the misses, so the
  // compute that does not overlap them.
  const inL2 = new WasmLightHasher(dagSpec(0, 'small'));
  const cacheInL2Ms = lightHashMs((n) => inL2.hash(header, n, 1000), 100, 5);
  report('lightHash.epoch0.latencyBound', {
    wasmMs: round(wasmMs, 3), pointerChaseNs: round(chaseNs, 2), chaseBytes: spec.cacheSize, boundMs: round(boundMs, 3), wasmOverBound: ratio(wasmMs, boundMs),
    cacheInL2Ms: round(cacheInL2Ms, 3), missesOverBound: ratio(wasmMs - cacheInL2Ms, boundMs),
  });

  hasher.items(0, 20000); // warm-up
  const items = 200_000;
  const wasmItems = items / seconds(() => hasher.items(5_000_000, items));
  const tsCount = 2000;
  const out = new Uint32Array(16);
  const tsItems = tsCount / seconds(() => { for (let i = 0; i < tsCount; i++) calcDatasetItem(cache, 5_000_000 + i, out); });
  report('datasetItems.epoch0.oneThread', {
    wasmItemsPerSecond: round(wasmItems), typescriptItemsPerSecond: round(tsItems), speedup: ratio(wasmItems, tsItems),
    wasmSecondsFor1GiBOneThread: round(spec.datasetSize / 64 / wasmItems, 1),
  });
}

function wordsOf(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

async function smallDag(): Promise<void> {
  const block = 1234;
  const spec = dagSpec(0, 'small');
  const backends: Record<string, WasmBackend> = {
    one: createWasmBackend({ threads: 1 }),
    two: createWasmBackend({ threads: 2 }),
    outside: createWasmBackend({ threads: 1, placement: 'external' }),
  };
  try {
    for (const b of Object.values(backends)) await b.prepare(spec);
    const dataset = wordsOf(backends.two!.readDag(0, backends.two!.lastBuild!.dagBytes));
    const rates = await interleavedHashrates(backends, block);
    const ts = referenceHashrate(dataset, spec, block, 4);
    report('hashrate.smallDag', { ...hashrateFigures(rates, ts) });
  } finally {
    await closeAll(backends);
  }
}

async function fullEpoch0(): Promise<void> {
  const block = 1234;
  const spec = dagSpec(0);
  const dir = mkdtempSync(join(tmpdir(), 'sero-bench-dag-'));
  const backends: Record<string, WasmBackend> = {};
  try {
    backends.two = createWasmBackend({ threads: 2, dagDir: dir });
    await backends.two.prepare(spec);
    const build = backends.two.lastBuild!;
    report('dagBuild.epoch0.full', {
      threads: 2, seconds: round(build.dagSeconds, 1), itemsPerSecond: round(build.dagBytes / 64 / build.dagSeconds),
      cacheSeconds: round(build.cacheSeconds, 2), nativeReferenceSeconds: 138, vsNative: ratio(138, build.dagSeconds),
    });
    // the other configurations load the DAG from the file cache instead of rebuilding it
    backends.one = createWasmBackend({ threads: 1, dagDir: dir });
    backends.outside = createWasmBackend({ threads: 1, dagDir: dir, placement: 'external' });
    // epoch 600's proportions: 69% of its 5.69 GiB DAG fits in wasm memory, the rest is outside
    backends.split = createWasmBackend({ threads: 1, dagDir: dir, placement: 'split', wasmDagBytes: Math.floor(0.69 * 1024) << 20 });
    for (const name of ['one', 'outside', 'split']) await backends[name]!.prepare(spec);
    report('dagFile.epoch0.load', { source: backends.one.lastBuild!.source, seconds: round(backends.one.lastBuild!.dagSeconds, 2) });
    const rates = await interleavedHashrates(backends, block);
    const ts = referenceHashrate(wordsOf(backends.two.readDag(0, build.dagBytes)), spec, block, 5);
    report('hashrate.epoch0.full', { ...hashrateFigures(rates, ts), nativeReferencePerCore: '14000-15000' });
  } finally {
    await closeAll(backends);
    rmSync(dir, { recursive: true, force: true });
  }
  // What a search's DAG reads cost here (wasm has no prefetch: a batch's misses overlap only
  // with each other): one entry at a time, and as many at a time as a batch has.
  const dagWords = new Int32Array(new SharedArrayBuffer(spec.datasetSize - (spec.datasetSize % 64)));
  report('dagEntryFetch.1GiB', {
    dependentNs: round(entryFetchNs(dagWords, 1), 1), batchOf8Ns: round(entryFetchNs(dagWords, 8), 1), batchOf32Ns: round(entryFetchNs(dagWords, 32), 1),
  });
}

async function mainnet(): Promise<void> {
  const block = 18_000_000;
  const spec = dagSpec(600);
  await withBackend({ threads: 2 }, spec, async (b) => {
    const build = b.lastBuild!;
    report('dagBuild.epoch600', {
      placement: build.placement, dagBytes: build.dagBytes, dagBytesInWasm: build.wasmDagBytes, seconds: round(build.dagSeconds, 1),
      itemsPerSecond: round(build.dagBytes / 64 / build.dagSeconds), cacheSeconds: round(build.cacheSeconds, 2),
    });
    // Every nonce meets this target, so each result has passed the light re-check; a few are
    // also compared with the TypeScript reference.
    const header = randomBytes(32);
    const found = await b.search({ headerHash: header, height: block, target: (1n << 256n) - 1n }, 0n, 64);
    const cache = makeLightCacheWasm(spec.cacheSize, spec.seedHash);
    const tsDag = lightDag(cache, spec.datasetSize);
    const agree = found.solutions.slice(0, 4).every((s) => {
      const r = progpowHash(header, s.nonce, block, tsDag);
      return Buffer.from(r.mixDigest).equals(Buffer.from(s.mixDigest)) && Buffer.from(r.finalHash).equals(Buffer.from(s.finalHash));
    });
    report('check.epoch600', { searched: 64, confirmedByLightRecheck: found.solutions.length, agreeWithTypescript: agree ? 4 : 0 });
    const wasmMs = lightHashMs((n) => b.lightHash(header, n, block), 50, 3);
    const tsMs = lightHashMs((n) => progpowHash(header, n, block, tsDag), 5, 2);
    report('lightHash.epoch600', { wasmMs: round(wasmMs, 3), typescriptMs: round(tsMs, 2), speedup: ratio(tsMs, wasmMs) });
    report('hashrate.epoch600', { wasm2Threads: await hashrate(b, block) });
  });
}

console.log(JSON.stringify({ name: 'machine', ...machineInfo(), date: new Date().toISOString() }));
await epoch0Light();
await smallDag();
if (args.has('--full') || args.has('--mainnet')) await fullEpoch0();
if (args.has('--mainnet')) await mainnet();
console.log(JSON.stringify({ name: 'summary', results }));
