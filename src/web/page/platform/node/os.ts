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

/** Browsers do not tell free memory: none is assumed, so no second DAG is built ahead in a page. */
export function freemem(): number {
  return 0;
}

export default { availableParallelism, cpus, totalmem, freemem };
