// Benchmarks of the WebGPU backend, each beside the WASM backend measured in the same run on
// the same machine. Prints one JSON object per measurement, then a summary object.
//   node dist/bench/webgpu.js          small DAG: GPU DAG build, tuning, hash rate of both lane exchanges
//   node dist/bench/webgpu.js --full   + epoch 0 (1 GiB DAG, 8 buffers of 128 MiB on lavapipe)
import { randomBytes } from 'node:crypto';
import { dagSpec, type DagSpec } from '../src/pow/epoch.js';
import type { SearchBackend, SearchJob } from '../src/backends/backend.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend, hasWebgpuAdapter, type WebgpuBackend, type WebgpuBackendOptions } from '../src/backends/webgpu/index.js';
import { args, SECONDS, results, report } from './report.js';
import { machineInfo, type DagBuildTimes } from '../src/backends/measure.js';

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/**
 * Sustained hashes per second: one search call sized to last about `seconds`, after a short
 * call that warms up and calibrates. The same method for both backends.
 */
async function sustainedRate(backend: SearchBackend, height: number, seconds: number): Promise<{ hashrate: number; hashes: number; seconds: number }> {
  const job: SearchJob = { headerHash: randomBytes(32), height, target: 0n };
  let count = 4096;
  let rate = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await backend.search(job, BigInt(i) << 40n, count);
    rate = r.hashes / ((performance.now() - t) / 1000);
    count = Math.max(4096, Math.round(rate * 0.5));
  }
  const started = performance.now();
  const r = await backend.search(job, 1n << 50n, Math.max(4096, Math.round(rate * seconds)));
  const elapsed = (performance.now() - started) / 1000;
  return { hashrate: r.hashes / elapsed, hashes: r.hashes, seconds: elapsed };
}

/** The figures every backend reports: its sustained rate and its DAG build. */
function rateAndBuild(rate: { hashrate: number; hashes: number; seconds: number }, build: DagBuildTimes): Record<string, number> {
  return {
    hashrate: round(rate.hashrate),
    hashes: rate.hashes,
    measuredSeconds: round(rate.seconds, 2),
    dagBytes: build.dagBytes,
    dagBuildSeconds: round(build.dagSeconds, 3),
    dagItemsPerSecond: round(build.dagBytes / 64 / build.dagSeconds),
    cacheSeconds: round(build.cacheSeconds, 3),
  };
}

async function prepareTimed(backend: SearchBackend, spec: DagSpec): Promise<number> {
  const t = performance.now();
  await backend.prepare(spec);
  return (performance.now() - t) / 1000;
}

async function benchWebgpu(name: string, spec: DagSpec, height: number, options: WebgpuBackendOptions): Promise<number> {
  const backend: WebgpuBackend = await createWebgpuBackend(options);
  try {
    const prepareSeconds = await prepareTimed(backend, spec);
    const build = backend.lastBuild!;
    const tuning = backend.tuning!;
    const rate = await sustainedRate(backend, height, SECONDS);
    report(name, {
      ...rateAndBuild(rate, build),
      dagBuffers: build.buffers,
      // Everything prepare() does: cache, DAG, CPU re-check setup and the launch tuning.
      prepareSeconds: round(prepareSeconds, 2),
      exchange: tuning.config.exchange,
      workgroupSize: tuning.config.workgroupSize,
      threadsPerHash: tuning.config.threadsPerHash,
      workgroups: tuning.shape.groups,
      batch: tuning.shape.batch,
      tunedRate: round(tuning.rate),
      adapter: backend.device,
    });
    return rate.hashrate;
  } finally {
    await backend.close();
  }
}

async function benchWasm(name: string, spec: DagSpec, height: number): Promise<number> {
  const backend = createWasmBackend();
  try {
    await prepareTimed(backend, spec);
    const build = backend.lastBuild!;
    const rate = await sustainedRate(backend, height, SECONDS);
    report(name, { ...rateAndBuild(rate, build), device: backend.device });
    return rate.hashrate;
  } finally {
    await backend.close();
  }
}

if (!(await hasWebgpuAdapter())) {
  console.log(JSON.stringify({ name: 'webgpu', skipped: 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)' }));
} else {
  const height = 12_345;
  const small = dagSpec(0, 'small');
  const gpuSmall = await benchWebgpu('webgpu-small', small, height, {});
  await benchWebgpu('webgpu-small-workgroup-exchange', small, height, { exchange: 'workgroup' });
  const wasmSmall = await benchWasm('wasm-small', small, height);
  const summary: Record<string, unknown> = { webgpuOverWasmSmall: round(gpuSmall / wasmSmall, 2) };
  if (args.has('--full')) {
    const epoch0 = dagSpec(0);
    const gpuFull = await benchWebgpu('webgpu-epoch0', epoch0, height, {});
    const wasmFull = await benchWasm('wasm-epoch0', epoch0, height);
    summary.webgpuOverWasmEpoch0 = round(gpuFull / wasmFull, 2);
  }
  console.log(JSON.stringify({ name: 'webgpu-summary', ...summary, machine: machineInfo(), results: Object.keys(results) }));
}
