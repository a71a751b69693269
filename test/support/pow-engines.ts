// The proof-of-work implementations as the shared vector loop drives them (vector-checks.ts):
// the TypeScript reference, the WASM module and the WASM module with each period's generated
// module (render-rounds.ts) here, the WGSL kernels in webgpu-engine.ts. An implementation
// leaves out what it cannot compute without a whole DAG.
import type { DagSpec } from '../../src/pow/epoch.js';
import { calcDatasetItem, makeCdag } from '../../src/pow/ethash.js';
import { keccakProgpow } from '../../src/pow/keccak-f800.js';
import { fillMix, lightDag, progpowHash } from '../../src/pow/progpow.js';
import { progpowMath, progpowMerge } from '../../src/pow/progpow-math.js';
import { PROGPOW_REGS } from '../../src/pow/progpow-program.js';
import { makeLightCacheWasm, WasmLightHasher } from '../../src/backends/wasm/index.js';
import { PowInstance, scratchBytes, STATIC_BYTES } from '../../src/backends/wasm/instance.js';
import { createSharedMemory } from '../../src/backends/wasm/module.js';
import { emitMath, emitMerge } from '../../src/backends/wasm/render-rounds.js';
import { Code, I32, ModuleBuilder, V128, type ValType } from '../../src/backends/wasm/wasm-encoder.js';
import { lightCache } from './light-cache.js';
import type { EpochEvaluator, FillMixInput, KeccakInput, MathMergeInput } from './vector-checks.js';

export interface PowEngine {
  readonly name: string;
  /** Why its tests skip, or false when they run. */
  readonly skip: string | false;
  mathMerge(inputs: MathMergeInput[]): Promise<number[][]> | number[][];
  keccakProgpow(inputs: KeccakInput[]): Promise<Uint32Array[]> | Uint32Array[];
  fillMix(inputs: FillMixInput[]): Promise<number[][]> | number[][];
  /** Light evaluation of an epoch: its light cache, and what is computed from it. */
  epoch?(spec: DagSpec): Promise<{ readonly cache: Uint32Array; readonly evaluator: EpochEvaluator }>;
  close?(): void;
}

export const referenceEngine: PowEngine = {
  name: 'reference',
  skip: false,
  mathMerge: (inputs) => inputs.map((m) => [(m.merge ? progpowMerge : progpowMath)(m.a, m.b, m.r)]),
  keccakProgpow: (inputs) => inputs.map((k) => keccakProgpow(k.header, k.lo, k.hi, k.digest).slice(0, 8)),
  fillMix: (inputs) => inputs.map((f) => Array.from(fillMix(f.hi, f.lo, f.lane))),
  async epoch(spec) {
    // The miner's light-cache source (WASM when built); the vectors check it.
    const cache = lightCache(spec.cacheSize, spec.seedHash);
    const cdag = makeCdag(cache);
    const dag = lightDag(cache, spec.datasetSize, cdag);
    return {
      cache,
      evaluator: { cdag: () => cdag, item: (index) => calcDatasetItem(cache, index), hash: (header, nonce, block) => progpowHash(header, nonce, block, dag) },
    };
  },
};

/** The WASM module's batch code on one nonce (every lane equal), on a small memory with 4 KiB free after the scratch. */
export function probeInstance(): { instance: PowInstance; free: number } {
  const free = STATIC_BYTES + scratchBytes(1, 1);
  return { instance: new PowInstance(createSharedMemory(free + 4096), STATIC_BYTES, 1, 1), free };
}

export const wasmEngine: PowEngine = {
  name: 'wasm',
  skip: false,
  mathMerge(inputs) {
    const { instance } = probeInstance();
    return inputs.map((m) => Array.from(instance.words((m.merge ? instance.pow.probeMerge : instance.pow.probeMath)(m.a, m.b, m.r), 16)));
  },
  keccakProgpow(inputs) {
    const { instance, free } = probeInstance();
    return inputs.map((k) => {
      const state = instance.words(free, 25);
      state.fill(0);
      state.set(k.header, 0);
      state[8] = k.lo;
      state[9] = k.hi;
      state.set(k.digest, 10);
      instance.pow.keccakF800(free);
      return instance.words(free, 8).slice();
    });
  },
  fillMix(inputs) {
    const { instance } = probeInstance();
    return inputs.map((f) => {
      const mix = instance.pow.probeFillMix(f.lo, f.hi);
      // lane l register i at mix + 64i + 4l
      return Array.from({ length: PROGPOW_REGS }, (_, i) => instance.words(mix + 64 * i + 4 * f.lane, 1)[0]!);
    });
  },
  async epoch(spec) {
    const cache = makeLightCacheWasm(spec.cacheSize, spec.seedHash);
    const hasher = new WasmLightHasher(spec, cache);
    return {
      cache,
      evaluator: { cdag: () => hasher.cdag(), item: (index) => hasher.items(index, 1), hash: (header, nonce, block) => hasher.hash(header, nonce, block) },
    };
  },
};

/**
 * math(a, b, r) or merge(a, b, r) of each input as the generated modules compute it: one
 * function per input, rendered with the same emitters, on registers 0 (a) and 1 (b) of a
 * group of 4 lanes, the result stored to register 2.
 */
function generatedMathMerge(inputs: MathMergeInput[]): number[][] {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory', { min: 1, max: 65536, shared: true });
  const type = mb.type([I32], []);
  const locals: ValType[] = [V128, V128, V128, V128];
  inputs.forEach((m, i) => {
    const c = new Code();
    const reg = (r: number) => () => { c.localGet(0).v128Load(64 * r); };
    const lane = (r: number) => (j: number) => { c.localGet(0).i32Load(64 * r + 4 * j); };
    c.localGet(0);
    if (m.merge) emitMerge(c, m.r, reg(0), reg(1), 1);
    else emitMath(c, m.r, reg(0), reg(1), lane(0), lane(1), [1, 2, 3]);
    c.v128Store(128);
    mb.func(type, locals, c, `f${i}`);
  });
  const memory = createSharedMemory(65536);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), { env: { memory } }).exports as Record<string, (mix: number) => void>;
  const words = new Uint32Array(memory.buffer, 0, 48);
  return inputs.map((m, i) => {
    words.fill(m.a >>> 0, 0, 4);
    words.fill(m.b >>> 0, 16, 20);
    words.fill(0, 32, 36);
    exports[`f${i}`]!(0);
    return Array.from(words.subarray(32, 36));
  });
}

export const wasmGeneratedEngine: PowEngine = {
  ...wasmEngine,
  name: 'wasm-generated',
  mathMerge: generatedMathMerge,
  async epoch(spec) {
    const cache = makeLightCacheWasm(spec.cacheSize, spec.seedHash);
    const hasher = new WasmLightHasher(spec, cache, 'generated');
    return { cache, evaluator: { hash: (header, nonce, block) => hasher.hash(header, nonce, block) } };
  },
};
