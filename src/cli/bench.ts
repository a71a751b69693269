// `sero-miner bench`: hash rate, DAG build rate and light-hash time of a backend, as one JSON
// object (or a short report). The run and its report are in backends/bench-run.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { dagSpecForBlock, type DagMode } from '../pow/epoch.js';
import { benchWasm, benchWebgpu } from '../backends/bench-run.js';
import { createWasmBackend } from '../backends/wasm/index.js';
import { createWebgpuBackend } from '../backends/webgpu/index.js';
import { createProgressBar } from '../util/progress.js';
import { blockArg, dagOption, positiveIntArg } from './args.js';
import { placementArg, type PlacementChoice } from './search.js';

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
    .addOption(dagOption())
    .option('--threads <t>', 'worker threads (default: every core)', positiveIntArg)
    .option('--seconds <s>', 'hashing time to measure', secondsArg, 10)
    .option('--dag-dir <dir>', 'DAG file cache directory (a cached DAG is loaded, not built)')
    .option('--placement <where>', 'DAG placement: auto, wasm, split or external', placementArg, 'auto')
    .option('--json', 'print JSON')
    .action(async (opts: BenchOptions) => {
      if (opts.backend === 'webgpu') return benchWebgpuCommand(opts);
      const spec = dagSpecForBlock(opts.block, opts.dag);
      const backend = createWasmBackend({ threads: opts.threads, dagDir: opts.dagDir, placement: opts.placement });
      try {
        const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode})`);
        const out = await benchWasm(backend, { block: opts.block, spec, seconds: opts.seconds, onProgress: (p) => bar.update(p.done, p.total), onPrepared: () => bar.finish() });
        if (opts.json) {
          console.log(JSON.stringify(out));
        } else {
          console.log(`${out.device}: ${out.hashrate} H/s (${out.hashratePerThread} H/s per thread), epoch ${out.epoch} ${out.dag} DAG ${out.dagPlacement}`);
          console.log(`DAG ${out.dagBuild.source} in ${out.dagBuild.seconds} s (${out.dagBuild.itemsPerSecond} items/s), light hash ${out.lightHashMs} ms`);
        }
      } finally {
        await backend.close();
      }
    });
}

async function benchWebgpuCommand(opts: BenchOptions): Promise<void> {
  const spec = dagSpecForBlock(opts.block, opts.dag);
  const backend = await createWebgpuBackend();
  try {
    const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode}) on the GPU`);
    const out = await benchWebgpu(backend, { block: opts.block, spec, seconds: opts.seconds, onProgress: (p) => bar.update(p.done, p.total), onPrepared: () => bar.finish() });
    if (opts.json) console.log(JSON.stringify(out));
    else console.log(`${out.device}: ${out.hashrate} H/s, epoch ${out.epoch} ${out.dag} DAG built in ${out.dagBuild.seconds} s`);
  } finally {
    await backend.close();
  }
}
