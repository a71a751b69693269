// `sero-miner bench`: hash rate, DAG build rate and light-hash time of a backend, as one JSON
// object (or a short report). The run and its report are in backends/bench-run.ts; without
// --block it hashes a block miners mine today (backends/bench-block.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { dagSpecForBlock, type DagMode } from '../pow/epoch.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../chain/forks.js';
import { benchWasm, benchWebgpu } from '../backends/bench-run.js';
import { defaultBenchBlock } from '../backends/bench-block.js';
import { createWasmBackend } from '../backends/wasm/index.js';
import { createWebgpuBackend, DagOutOfMemoryError, type WebgpuBackend } from '../backends/webgpu/index.js';
import { createProgressBar } from '../util/progress.js';
import { blockArg, dagOption, positiveIntArg } from './args.js';
import { placementArg, type PlacementChoice } from './search.js';

function backendArg(value: string): 'wasm' | 'webgpu' {
  if (value !== 'wasm' && value !== 'webgpu') throw new InvalidArgumentError(`expected wasm or webgpu, got ${JSON.stringify(value)}`);
  return value;
}

function engineArg(value: string): 'auto' | 'generated' | 'interpreter' {
  if (value !== 'auto' && value !== 'generated' && value !== 'interpreter') throw new InvalidArgumentError(`expected auto, generated or interpreter, got ${JSON.stringify(value)}`);
  return value;
}

function secondsArg(value: string): number {
  const s = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(s > 0)) throw new InvalidArgumentError(`expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return s;
}

export interface BenchOptions {
  backend: 'wasm' | 'webgpu';
  block?: number;
  dag: DagMode;
  threads?: number;
  seconds: number;
  dagDir?: string;
  placement: PlacementChoice;
  engine?: 'auto' | 'generated' | 'interpreter';
  batch?: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure hash rate, DAG build rate and light-hash time')
    .option('--backend <name>', 'backend to measure: wasm or webgpu', backendArg, 'wasm')
    .option('--block <n>', 'block number whose epoch and program are used (default: today\'s where the device holds its DAG, else 940410)', blockArg)
    .addOption(dagOption())
    .option('--threads <t>', 'worker threads (default: every core)', positiveIntArg)
    .option('--seconds <s>', 'hashing time to measure', secondsArg, 10)
    .option('--dag-dir <dir>', 'DAG file cache directory (a cached DAG is loaded, not built)')
    .option('--placement <where>', 'DAG placement: auto, wasm, split or external', placementArg, 'auto')
    .option('--engine <how>', 'WASM loop iterations: auto (the period\'s generated module), generated or interpreter', engineArg, 'auto')
    .option('--batch <n>', 'WASM: nonces each thread hashes in lockstep', positiveIntArg)
    .option('--json', 'print JSON')
    .action((opts: BenchOptions) => runBench(opts));
}

/** The block named, or the default with one line (on stderr) saying which and why. */
function chooseBlock(opts: BenchOptions, softwareAdapter?: boolean): number {
  if (opts.block !== undefined) return opts.block;
  const choice = defaultBenchBlock({ backend: opts.backend, dag: opts.dag, softwareAdapter });
  console.error(`bench: block ${choice.block}, ${choice.reason} (--block picks another)`);
  return choice.block;
}

export async function runBench(opts: BenchOptions): Promise<void> {
  if (opts.backend === 'webgpu') return benchWebgpuCommand(opts);
  const block = chooseBlock(opts);
  const spec = dagSpecForBlock(block, opts.dag);
  const backend = createWasmBackend({ threads: opts.threads, dagDir: opts.dagDir, placement: opts.placement, engine: opts.engine, batch: opts.batch });
  try {
    const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode})`);
    const out = await benchWasm(backend, { block, spec, seconds: opts.seconds, onProgress: (p) => bar.update(p.done, p.total), onPrepared: () => bar.finish() });
    if (opts.json) {
      console.log(JSON.stringify(out));
    } else {
      console.log(`${out.device}: ${out.hashrate} H/s (${out.hashratePerThread} H/s per thread), block ${block}, epoch ${out.epoch} ${out.dag} DAG ${out.dagPlacement}`);
      console.log(`DAG ${out.dagBuild.source} in ${out.dagBuild.seconds} s (${out.dagBuild.itemsPerSecond} items/s), light hash ${out.lightHashMs} ms`);
    }
  } finally {
    await backend.close();
  }
}

async function benchWebgpuCommand(opts: BenchOptions): Promise<void> {
  let backend: WebgpuBackend = await createWebgpuBackend();
  try {
    let block = chooseBlock(opts, backend.ctx.summary.isFallbackAdapter);
    const run = async () => {
      const spec = dagSpecForBlock(block, opts.dag);
      const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode}) on the GPU`);
      return benchWebgpu(backend, { block, spec, seconds: opts.seconds, onProgress: (p) => bar.update(p.done, p.total), onPrepared: () => bar.finish() });
    };
    let out: Awaited<ReturnType<typeof run>>;
    try {
      out = await run();
    } catch (err) {
      // today's DAG is the default only where the GPU holds it: one that cannot benchmarks the first ProgPoW epoch instead
      if (!(err instanceof DagOutOfMemoryError) || opts.block !== undefined || block === PROGPOW_ACTIVATION_HEIGHT) throw err;
      console.error(`bench: ${err.message}; the GPU does not hold today's DAG, so block ${PROGPOW_ACTIVATION_HEIGHT} (ProgPoW's first)`);
      await backend.close();
      backend = await createWebgpuBackend();
      block = PROGPOW_ACTIVATION_HEIGHT;
      out = await run();
    }
    if (opts.json) console.log(JSON.stringify(out));
    else console.log(`${out.device}: ${out.hashrate} H/s, block ${block}, epoch ${out.epoch} ${out.dag} DAG built in ${out.dagBuild.seconds} s`);
  } finally {
    await backend.close();
  }
}
