// node:os in the page bundle: the few figures shared code reads, from what the browser tells.

interface NavigatorFacts {
  readonly hardwareConcurrency?: number;
  readonly deviceMemory?: number;
}

const facts = (): NavigatorFacts => globalThis.navigator as unknown as NavigatorFacts;

export function availableParallelism(): number {
  return facts().hardwareConcurrency || 1;
}

/** Browsers name no CPU. */
export function cpus(): { model: string }[] {
  return [];
}

/** navigator.deviceMemory (GiB, rounded and capped by the browser); 4 GiB where it is not told. */
export function totalmem(): number {
  return (facts().deviceMemory ?? 4) * 2 ** 30;
}

export default { availableParallelism, cpus, totalmem };
