// `sero-miner bench`: hash rate, DAG build rate and light-hash time of a backend, as one JSON
// object (or a short report).
import { InvalidArgumentError, type Command } from 'commander';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import { dagEntries, dagSpecForBlock, type DagMode } from '../pow/epoch.js';
import type { SearchBackend, SearchJob } from '../backends/backend.js';
import { createWasmBackend, type WasmBackend } from '../backends/wasm/index.js';
import { createWebgpuBackend, webgpuBenchFigures } from '../backends/webgpu/index.js';
import { createProgressBar } from '../util/progress.js';
import { blockArg, dagModeArg, positiveIntArg } from './args.js';
import { placementArg, type PlacementChoice } from './search.js';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface HashrateMeasurement {
  readonly hashrate: number;
  readonly hashes: number;
  readonly seconds: number;
  /** CPU seconds this process used meanwhile: hashes / cpuSeconds is the rate per busy thread, which time taken by other processes does not lower. */
  readonly cpuSeconds: number;
}

function cpuSecondsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Hashes per second over about `seconds`, after a warm-up that lets the JIT settle.
 * The target is 0, so nothing is found and only hashing is timed.
 */
export async function measureHashrate(backend: SearchBackend, height: number, seconds: number, warmupSeconds = 1): Promise<HashrateMeasurement> {
  const job: SearchJob = { headerHash: randomBytes(32), height, target: 0n };
  let nonce = BigInt('0x' + randomBytes(8).toString('hex'));
  let count = 256;
  const run = async (n: number) => {
    const r = await backend.search(job, nonce, n);
    nonce = BigInt.asUintN(64, nonce + BigInt(n));
    return r.hashes;
  };
  // size the calls to last ~0.25 s (at least one calibrating call), warming up on the way
  const warm = performance.now();
  do {
    const t = performance.now();
    await run(count);
    const dt = (performance.now() - t) / 1000;
    count = Math.max(64, Math.round((count * 0.25) / Math.max(dt, 1e-3)));
  } while ((performance.now() - warm) / 1000 < warmupSeconds);
  let hashes = 0;
  const started = performance.now();
  const cpuStarted = cpuSecondsNow();
  while ((performance.now() - started) / 1000 < seconds) hashes += await run(count);
  const elapsed = (performance.now() - started) / 1000;
  return { hashrate: hashes / elapsed, hashes, seconds: elapsed, cpuSeconds: cpuSecondsNow() - cpuStarted };
}

/** Milliseconds per light-mode hash (from the cache, as when verifying a share). */
export function measureLightHash(backend: WasmBackend, height: number, hashes = 60): number {
  const header = randomBytes(32);
  for (let i = 0; i < 10; i++) backend.lightHash(header, BigInt(i), height);
  const started = performance.now();
  for (let i = 0; i < hashes; i++) backend.lightHash(header, BigInt(1000 + i), height);
  return (performance.now() - started) / hashes;
}

function backendArg(value: string): 'wasm' | 'webgpu' {
  if (value !== 'wasm' && value !== 'webgpu') throw new InvalidArgumentError(`expected wasm or webgpu, got ${JSON.stringify(value)}`);
  return value;
}

function secondsArg(value: string): number {
  const s = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(s > 0)) throw new InvalidArgumentError(`expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return s;
}

interface BenchOptions {
  backend: 'wasm' | 'webgpu';
  block: number;
  dag: DagMode;
  threads?: number;
  seconds: number;
  dagDir?: string;
  placement: PlacementChoice;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure hash rate, DAG build rate and light-hash time')
    .option('--backend <name>', 'backend to measure: wasm or webgpu', backendArg, 'wasm')
    .option('--block <n>', 'block number whose epoch and program are used', blockArg, 0)
    .option('--dag <mode>', 'DAG sizes: full (the real epoch) or small', dagModeArg, 'full')
    .option('--threads <t>', 'worker threads (default: every core)', positiveIntArg)
    .option('--seconds <s>', 'hashing time to measure', secondsArg, 10)
    .option('--dag-dir <dir>', 'DAG file cache directory (a cached DAG is loaded, not built)')
    .option('--placement <where>', 'DAG placement: auto, wasm, split or external', placementArg, 'auto')
    .option('--json', 'print JSON')
    .action(async (opts: BenchOptions) => {
      if (opts.backend === 'webgpu') return benchWebgpu(opts);
      const spec = dagSpecForBlock(opts.block, opts.dag);
      const backend = createWasmBackend({ threads: opts.threads, dagDir: opts.dagDir, placement: opts.placement });
      try {
        const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode})`);
        await backend.prepare(spec, (p) => bar.update(p.done, p.total));
        bar.finish();
        const build = backend.lastBuild!;
        const items = build.dagBytes / 64;
        const lightHashMs = measureLightHash(backend, opts.block);
        const rate = await measureHashrate(backend, opts.block, opts.seconds);
        const out = {
          backend: 'wasm',
          threads: backend.threads,
          hashrate: Math.round(rate.hashrate),
          hashratePerThread: Math.round(rate.hashrate / backend.threads),
          hashesPerCpuSecond: Math.round(rate.hashes / rate.cpuSeconds),
          block: opts.block,
          epoch: spec.epoch,
          dag: spec.mode,
          dagPlacement: build.placement,
          dagBytes: build.dagBytes,
          dagBytesInWasm: build.wasmDagBytes,
          dagEntries: dagEntries(spec.datasetSize),
          dagBuild: {
            source: build.source,
            seconds: Number(build.dagSeconds.toFixed(3)),
            itemsPerSecond: Math.round(items / build.dagSeconds),
            mibPerSecond: Number((build.dagBytes / 2 ** 20 / build.dagSeconds).toFixed(2)),
            cacheSeconds: Number(build.cacheSeconds.toFixed(3)),
          },
          lightHashMs: Number(lightHashMs.toFixed(3)),
          measuredSeconds: Number(rate.seconds.toFixed(2)),
          hashes: rate.hashes,
          machine: machineInfo(),
          device: backend.device,
        };
        if (opts.json) {
          console.log(JSON.stringify(out));
        } else {
          console.log(`${out.device}: ${out.hashrate} H/s (${out.hashratePerThread} H/s per thread), epoch ${out.epoch} ${out.dag} DAG ${out.dagPlacement}`);
          console.log(`DAG ${build.source} in ${out.dagBuild.seconds} s (${out.dagBuild.itemsPerSecond} items/s), light hash ${out.lightHashMs} ms`);
        }
      } finally {
        await backend.close();
      }
    });
}

async function benchWebgpu(opts: BenchOptions): Promise<void> {
  const spec = dagSpecForBlock(opts.block, opts.dag);
  const backend = await createWebgpuBackend();
  try {
    const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode}) on the GPU`);
    await backend.prepare(spec, (p) => bar.update(p.done, p.total));
    bar.finish();
    const rate = await measureHashrate(backend, opts.block, opts.seconds);
    const out = {
      backend: 'webgpu',
      hashrate: Math.round(rate.hashrate),
      block: opts.block,
      epoch: spec.epoch,
      dag: spec.mode,
      ...webgpuBenchFigures(backend),
      measuredSeconds: Number(rate.seconds.toFixed(2)),
      hashes: rate.hashes,
      machine: machineInfo(),
      device: backend.device,
    };
    if (opts.json) console.log(JSON.stringify(out));
    else console.log(`${out.device}: ${out.hashrate} H/s, epoch ${out.epoch} ${out.dag} DAG built in ${out.dagBuild.seconds} s`);
  } finally {
    await backend.close();
  }
}
