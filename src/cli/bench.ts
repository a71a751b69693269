// `sero-miner bench`: hash rate, DAG build rate and light-hash time of a backend, as one JSON
// object (or a short report). The measurements themselves are in backends/measure.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { dagSpecForBlock, type DagMode } from '../pow/epoch.js';
import { machineInfo, measureHashrate, measureLightHash } from '../backends/measure.js';
import { createWasmBackend, wasmBenchFigures } from '../backends/wasm/index.js';
import { createWebgpuBackend, webgpuBenchFigures } from '../backends/webgpu/index.js';
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
      if (opts.backend === 'webgpu') return benchWebgpu(opts);
      const spec = dagSpecForBlock(opts.block, opts.dag);
      const backend = createWasmBackend({ threads: opts.threads, dagDir: opts.dagDir, placement: opts.placement });
      try {
        const bar = createProgressBar(`DAG epoch ${spec.epoch} (${spec.mode})`);
        await backend.prepare(spec, (p) => bar.update(p.done, p.total));
        bar.finish();
        const lightHashMs = measureLightHash(backend, opts.block);
        const rate = await measureHashrate(backend, opts.block, opts.seconds);
        const out = {
          backend: 'wasm',
          hashrate: Math.round(rate.hashrate),
          hashratePerThread: Math.round(rate.hashrate / backend.threads),
          hashesPerCpuSecond: Math.round(rate.hashes / rate.cpuSeconds),
          block: opts.block,
          epoch: spec.epoch,
          dag: spec.mode,
          ...wasmBenchFigures(backend),
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
          console.log(`DAG ${out.dagBuild.source} in ${out.dagBuild.seconds} s (${out.dagBuild.itemsPerSecond} items/s), light hash ${out.lightHashMs} ms`);
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
