// Browser twin of backends/machine.ts: what the browser tells about the machine. It names no
// CPU model and measures no CPU time, so those read "unknown" and NaN.
import type { MachineInfo } from '../../../backends/machine.js';

export type { MachineInfo } from '../../../backends/machine.js';

interface NavigatorFacts {
  readonly hardwareConcurrency?: number;
  readonly deviceMemory?: number;
  readonly userAgent: string;
  readonly platform?: string;
}

/** "Chrome 156", "Firefox 141", … from the user agent. */
export function browserName(userAgent: string): string {
  const match = /(Edg|Firefox|Chrome|Version)\/(\d+)/.exec(userAgent);
  if (!match) return 'browser';
  const name = match[1] === 'Edg' ? 'Edge' : match[1] === 'Version' ? 'Safari' : match[1]!;
  return `${name} ${match[2]}`;
}

export function machineInfo(): MachineInfo {
  const nav = globalThis.navigator as unknown as NavigatorFacts;
  return {
    cpu: 'unknown (not told to pages)',
    cores: nav.hardwareConcurrency ?? 1,
    // Chrome rounds and caps this at 8 GiB (0 where the browser does not say)
    memoryGiB: nav.deviceMemory ?? 0,
    node: browserName(nav.userAgent),
    platform: nav.platform || 'unknown',
  };
}

export function cpuSecondsNow(): number {
  return Number.NaN;
}

/** A browser's software adapter (SwiftShader) has the cores the browser tells of. */
export function softwareAdapterThreads(): number {
  return (globalThis.navigator as unknown as NavigatorFacts).hardwareConcurrency ?? 1;
}

/** A page cannot list its threads. */
export function processThreads(): Set<number> | undefined {
  return undefined;
}

/** Nor change their priority. */
export function lowerThreadPriority(_threads: Iterable<number>, _nice: number): number {
  return 0;
}
