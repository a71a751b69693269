// One benchmark of a backend: make the DAG resident, time light hashes (WASM), a sustained
// search and the switch to a new job, and report it as one JSON object. `sero-miner bench` prints it; the browser page
// shows the same object for each backend it measured.
import type { DagProgress } from './backend.js';
import { periodOf, type DagSpec } from '../pow/epoch.js';
import { measureJobSwitch } from './job-switch.js';
import { machineInfo, measureHashrate, measureLightHash } from './measure.js';
import { wasmBenchFigures, type WasmBackend } from './wasm/index.js';
import { boundReport } from './wasm/compute-bound.js';
import { measureOpCosts } from './wasm/op-costs.js';
import { buildProgram } from '../pow/progpow-program.js';
import { webgpuBenchFigures, type WebgpuBackend } from './webgpu/index.js';

export interface BenchRun {
  /** Block whose epoch and period are hashed. */
  readonly block: number;
  readonly spec: DagSpec;
  /** Hashing time to measure. */
  readonly seconds: number;
  readonly onProgress?: (p: DagProgress) => void;
  /** Called once the DAG is resident, before hashing starts. */
  readonly onPrepared?: () => void;
}

export async function benchWasm(backend: WasmBackend, run: BenchRun) {
  const { block, spec } = run;
  await backend.prepare(spec, run.onProgress);
  await backend.prepareRounds(block);
  run.onPrepared?.();
  const lightHashMs = measureLightHash(backend, block);
  const before = { ...backend.hashesByEngine };
  const rate = await measureHashrate(backend, block, run.seconds);
  const engine = backend.hashesByEngine.interpreter > before.interpreter ? 'interpreter' : 'generated';
  const jobSwitch = await measureJobSwitch(backend, block, { hashrate: rate.hashrate });
  // the operations' costs on this machine, measured after the search (its workers idle)
  const costs = await measureOpCosts({ batch: backend.batch });
  const computeBound = boundReport(buildProgram(periodOf(block)), costs, backend.threads, rate.hashrate, rate.hashes / rate.cpuSeconds);
  return {
    backend: 'wasm' as const,
    hashrate: Math.round(rate.hashrate),
    hashratePerThread: Math.round(rate.hashrate / backend.threads),
    hashesPerCpuSecond: Math.round(rate.hashes / rate.cpuSeconds),
    /** How the loop iterations ran: in the period's generated module, or interpreted (some hashes at least). */
    engine,
    block,
    epoch: spec.epoch,
    dag: spec.mode,
    ...wasmBenchFigures(backend),
    lightHashMs: Number(lightHashMs.toFixed(3)),
    measuredSeconds: Number(rate.seconds.toFixed(2)),
    hashes: rate.hashes,
    jobSwitch,
    computeBound,
    machine: machineInfo(),
    device: backend.device,
  };
}

/**
 * Compile the block's kernel and the next period's before anything is timed: the first search
 * queues the next period's compile behind itself (a JIT driver compiles it on the device's
 * queue, seconds on lavapipe), and the second waits until it is done.
 */
async function settleKernels(backend: WebgpuBackend, block: number): Promise<void> {
  const job = { headerHash: new Uint8Array(32), height: block, target: 0n };
  await backend.search(job, 0n, 1);
  await backend.search(job, 1n, 1);
}

export async function benchWebgpu(backend: WebgpuBackend, run: BenchRun) {
  const { block, spec } = run;
  await backend.prepare(spec, run.onProgress);
  run.onPrepared?.();
  await settleKernels(backend, block);
  const rate = await measureHashrate(backend, block, run.seconds);
  const jobSwitch = await measureJobSwitch(backend, block, { hashrate: rate.hashrate });
  return {
    backend: 'webgpu' as const,
    hashrate: Math.round(rate.hashrate),
    block,
    epoch: spec.epoch,
    dag: spec.mode,
    ...webgpuBenchFigures(backend),
    measuredSeconds: Number(rate.seconds.toFixed(2)),
    hashes: rate.hashes,
    jobSwitch,
    machine: machineInfo(),
    device: backend.device,
  };
}

export type WasmBenchReport = Awaited<ReturnType<typeof benchWasm>>;
export type WebgpuBenchReport = Awaited<ReturnType<typeof benchWebgpu>>;
