// The machine a benchmark ran on, the CPU time this process used and its threads' priorities,
// from Node's os, fs and process. The browser bundle puts a twin in this module's place that
// reads what the browser tells (src/web/page/platform/).
import { readdirSync } from 'node:fs';
import { availableParallelism, cpus, setPriority, totalmem } from 'node:os';

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

/** This process's threads (Linux's /proc/self/task), undefined where they cannot be listed. */
export function processThreads(): Set<number> | undefined {
  try {
    return new Set(readdirSync('/proc/self/task').map(Number));
  } catch {
    return undefined;
  }
}

/** Lowers each thread's priority to `nice` (on Linux a thread id stands for its thread alone); how many it lowered. */
export function lowerThreadPriority(threads: Iterable<number>, nice: number): number {
  let lowered = 0;
  for (const thread of threads) {
    try {
      setPriority(thread, nice);
      lowered++;
    } catch {
      // Gone already, or not ours to change.
    }
  }
  return lowered;
}
