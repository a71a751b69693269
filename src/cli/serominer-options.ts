// serominer's and ethminer's options that `mine` takes so a rig's usual command line works:
// -U/--cuda and -G/--opencl (GPUs, which mine through WebGPU here), --list-devices,
// -M/--benchmark and -Z/--simulation <block>, and the pool settings --farm-retries,
// --work-timeout, --response-timeout and --failover-timeout (minutes on a failover pool before
// the primary is tried again).
import { Option, type Command } from 'commander';
import type { BackendChoice } from '../backends/select.js';
import type { PoolManagerOptions } from '../net/client/pool-manager.js';
import { blockArg, wrap } from './args.js';
import { UsageError } from './exit-codes.js';

export interface SerominerOptions {
  cuda?: boolean;
  opencl?: boolean;
  listDevices?: boolean;
  benchmark?: number;
  simulation?: number;
  farmRetries?: number;
  workTimeout?: number;
  responseTimeout?: number;
  failoverTimeout?: number;
  backend: BackendChoice[];
}

/** A whole number in serominer's range for the option. */
const rangeArg = (min: number, max: number, unit: string) => wrap((s) => {
  if (!/^[0-9]+$/.test(s) || Number(s) < min || Number(s) > max) throw new Error(`expected ${unit} from ${min} to ${max}, got ${JSON.stringify(s)}`);
  return Number(s);
});

export function addSerominerOptions(command: Command): Command {
  return command
    .option('-U, --cuda', 'serominer\'s CUDA devices: NVIDIA GPUs mine through WebGPU (Vulkan) here, as --backend webgpu')
    .option('-G, --opencl', 'serominer\'s OpenCL devices: GPUs mine through WebGPU here, as --backend webgpu')
    .option('--list-devices', 'list the devices (as `sero-miner devices`) and exit')
    .option('-M, --benchmark <block>', 'benchmark hashing at this block (as `sero-miner bench --block`) and exit', blockArg)
    .option('-Z, --simulation <block>', 'the same as --benchmark (serominer\'s other name for it)', blockArg)
    .addOption(new Option('--farm-retries <n>', 'connection attempts to a pool before the next -P is tried').argParser(rangeArg(1, 99999, 'attempts')).default(3))
    .addOption(new Option('--work-timeout <s>', 'drop a pool that sends no new job for this long').argParser(rangeArg(180, 99999, 'seconds')).default(180))
    .addOption(new Option('--response-timeout <s>', 'drop a pool that leaves a request unanswered for this long').argParser(rangeArg(2, 999, 'seconds')).default(10))
    .addOption(new Option('--failover-timeout <minutes>', 'on a failover pool, try the primary (the first -P) again after this long and go back to it once it answers; 0: stay').argParser(rangeArg(0, 999, 'minutes')).default(1));
}

/**
 * The backends once -U/-G are applied: they ask for GPUs, which are WebGPU's here; one line says
 * so. Combined with a --backend that leaves the GPUs out, they are a usage error.
 */
export function deviceTypeBackends(opts: SerominerOptions, note: (line: string) => void): BackendChoice[] {
  const flags = [opts.cuda ? '-U/--cuda' : '', opts.opencl ? '-G/--opencl' : ''].filter(Boolean);
  if (flags.length === 0) return opts.backend;
  if (!opts.backend.includes('auto') && !opts.backend.includes('webgpu')) throw new UsageError(`${flags.join(' and ')} ${flags.length === 1 ? 'asks' : 'ask'} for GPUs, which --backend ${opts.backend.join(',')} leaves out`);
  note(`${flags.join(' and ')}: sero-miner has no CUDA or OpenCL; GPUs mine through WebGPU (Vulkan), so this is --backend webgpu`);
  return opts.backend.includes('auto') ? ['webgpu'] : opts.backend;
}

/** The block of -M/--benchmark or -Z/--simulation, when one was given. */
export function benchmarkBlock(opts: SerominerOptions): number | undefined {
  if (opts.benchmark !== undefined && opts.simulation !== undefined && opts.benchmark !== opts.simulation) throw new UsageError('--benchmark and --simulation name different blocks');
  return opts.benchmark ?? opts.simulation;
}

/** The pool manager's settings from the pool options. */
export function poolSettings(opts: SerominerOptions): Pick<PoolManagerOptions, 'retriesPerPool' | 'workTimeoutMs' | 'primaryRetryMs'> & { responseTimeoutMs: number } {
  return {
    retriesPerPool: opts.farmRetries ?? 3,
    workTimeoutMs: (opts.workTimeout ?? 180) * 1000,
    primaryRetryMs: (opts.failoverTimeout ?? 1) * 60_000,
    responseTimeoutMs: (opts.responseTimeout ?? 10) * 1000,
  };
}
