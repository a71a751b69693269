// Loading the compiled proof-of-work module (module-file.ts finds build/progpow.wasm) and
// instantiating it on a shared memory. The compiled module is cached: worker threads
// receive it by postMessage instead of compiling it again.
import { compilePowModule } from './module-file.js';

export const PAGE_BYTES = 65536;
/** wasm32 ceiling: 65536 pages = 4 GiB. */
export const MAX_PAGES = 65536;

/** The module's exports. Pointers are byte addresses in the shared memory. */
export interface PowExports {
  heapBase(): number;
  scratchSize(batch: number, results: number): number;
  configure(base: number, batch: number, results: number): void;
  getHeaderPtr(): number;
  getTargetPtr(): number;
  getProgramPtr(): number;
  getDigestPtr(): number;
  getFinalPtr(): number;
  getResultsPtr(): number;
  buildCache(cache: number, rows: number, seed: number): void;
  keccak512(dst: number, src: number): void;
  buildItems(dst: number, first: number, count: number): void;
  setCache(cache: number, rows: number): void;
  setDag(cdag: number, dag: number, entries: number, wasmEntries: number, light: boolean | number): void;
  setProgram(ops: number): void;
  /** 1: run the loop iterations in the linked generated module (progpowRounds import); 0: interpret the program. */
  useGeneratedRounds(on: number): void;
  /** Iteration r's DAG words of nonces 0..n-1, in lane order (the generated module imports it). */
  loadRound(r: number, n: number): void;
  hashBatch(start: bigint, n: number): void;
  /** hashBatch without the loop iterations (seeds, initial mixes, digests, final hashes). */
  hashBatchEnds(start: bigint, n: number): void;
  search(start: bigint, count: number, stopFlag: number): number;
  keccakF800(state: number): void;
  /** Test probes: the batch code on one nonce with every lane equal; they return result addresses. */
  probeMath(a: number, b: number, r: number): number;
  probeMerge(a: number, b: number, r: number): number;
  probeFillMix(seedLo: number, seedHi: number): number;
}

/** Copies n DAG entries held outside wasm memory to the addresses listed at listPtr (dag-store.ts). */
export type GatherEntries = (listPtr: number, n: number) => unknown;

/** The period's generated module: the 64 loop iterations of n nonces (render-rounds.ts). */
export type RoundsFunction = (mix: number, laneEntries: number, cdag: number, n: number) => unknown;

let compiled: WebAssembly.Module | undefined;

export function powModule(): WebAssembly.Module {
  compiled ??= compilePowModule();
  return compiled;
}

/** True when the compiled module is present (the build may not have run). */
export function powModuleAvailable(): boolean {
  try {
    powModule();
    return true;
  } catch {
    return false;
  }
}

export function createSharedMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (pages > MAX_PAGES) throw new RangeError(`${bytes} bytes exceed the 4 GiB wasm32 memory`);
  return new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

/** Grows memory to at least `bytes`. */
export function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (pages > MAX_PAGES) throw new RangeError(`${bytes} bytes exceed the 4 GiB wasm32 memory`);
  const have = memory.buffer.byteLength / PAGE_BYTES;
  if (pages > have) memory.grow(pages - have);
}

const noGather: GatherEntries = () => {
  throw new Error('DAG entries requested from the host, but this instance has no external DAG');
};

const noRounds: RoundsFunction = () => {
  throw new Error('generated loop iterations requested, but no period module is linked');
};

export function instantiatePow(
  memory: WebAssembly.Memory,
  gather: GatherEntries = noGather,
  module: WebAssembly.Module = powModule(),
  rounds: RoundsFunction = noRounds,
): PowExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      gatherEntries: gather,
      progpowRounds: rounds,
      abort: () => {
        throw new Error('proof-of-work module aborted');
      },
    },
  });
  const raw = instance.exports as unknown as PowExports;
  // wasm returns i32: addresses at or above 2 GiB come back negative without this.
  const unsigned = (f: () => number) => () => f() >>> 0;
  return {
    ...raw,
    heapBase: unsigned(raw.heapBase),
    scratchSize: (b, r) => raw.scratchSize(b, r) >>> 0,
    getHeaderPtr: unsigned(raw.getHeaderPtr),
    getTargetPtr: unsigned(raw.getTargetPtr),
    getProgramPtr: unsigned(raw.getProgramPtr),
    getDigestPtr: unsigned(raw.getDigestPtr),
    getFinalPtr: unsigned(raw.getFinalPtr),
    getResultsPtr: unsigned(raw.getResultsPtr),
    search: (s, c, f) => raw.search(s, c, f) >>> 0,
    probeMath: (a, b, r) => raw.probeMath(a, b, r) >>> 0,
    probeMerge: (a, b, r) => raw.probeMerge(a, b, r) >>> 0,
    probeFillMix: (lo, hi) => raw.probeFillMix(lo, hi) >>> 0,
  };
}
