// The machine a benchmark ran on and the CPU time this process used, from Node's os and
// process. The browser bundle puts a twin in this module's place that reads what the browser
// tells (src/web/page/platform/).
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** The JavaScript runtime: Node's version, or the browser's name and version. */
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

/** CPU seconds this process has used (NaN where that cannot be known). */
export function cpuSecondsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Threads a software WebGPU adapter runs workgroups on: llvmpipe's LP_NUM_THREADS, else every core. */
export function softwareAdapterThreads(): number {
  const set = Number(process.env.LP_NUM_THREADS);
  return Number.isInteger(set) && set > 0 ? set : availableParallelism();
}
