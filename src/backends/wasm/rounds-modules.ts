// The periods' generated modules (render-rounds.ts): compiled ahead on the main thread,
// without blocking it, and posted to the workers, which link them to their instance. A period
// whose module is not compiled yet is searched by the interpreter meanwhile, so a period
// change never waits for a compile.
import { buildProgram } from '../../pow/progpow-program.js';
import { renderRoundsModule, ROUNDS_MODULE } from './render-rounds.js';
import type { PowExports, RoundsFunction } from './module.js';

/** Periods kept compiled (and linked per worker): the current, the next and two spares for jobs going back. */
export const KEPT_PERIODS = 4;

/** The module bytes of a period's program. */
export function roundsModuleBytes(period: number): Uint8Array<ArrayBuffer> {
  return renderRoundsModule(buildProgram(period));
}

/** Keeps the entries of a map nearest `current` (numeric keys), at most `keep` of them. */
export function evictFarthest<V>(map: Map<number, V>, current: number, keep = KEPT_PERIODS): void {
  if (map.size <= keep) return;
  const byDistance = [...map.keys()].sort((a, b) => Math.abs(b - current) - Math.abs(a - current));
  for (const key of byDistance.slice(0, map.size - keep)) map.delete(key);
}

/** Compiled period modules of one backend. */
export class RoundsModules {
  private readonly compiled = new Map<number, WebAssembly.Module>();
  private readonly pending = new Map<number, Promise<WebAssembly.Module>>();
  private readonly failed = new Set<number>();

  /** onError: a compile failed (a defect; that period is then interpreted). */
  constructor(private readonly onError: (period: number, error: Error) => void = () => {}) {}

  /** The period's module if it is compiled; undefined while it is not (its compile is started). */
  ready(period: number): WebAssembly.Module | undefined {
    const module = this.compiled.get(period);
    if (!module && !this.failed.has(period)) {
      this.request(period).catch((error: Error) => {
        this.failed.add(period);
        this.onError(period, error);
      });
    }
    return module;
  }

  /** Compiles the period's module unless it is compiled or compiling; resolves to it. */
  request(period: number): Promise<WebAssembly.Module> {
    const done = this.compiled.get(period);
    if (done) return Promise.resolve(done);
    let compiling = this.pending.get(period);
    if (!compiling) {
      compiling = WebAssembly.compile(roundsModuleBytes(period)).then((module) => {
        this.compiled.set(period, module);
        evictFarthest(this.compiled, period);
        return module;
      }).finally(() => this.pending.delete(period));
      this.pending.set(period, compiling);
    }
    return compiling;
  }

  /** Where the period's module stands. */
  state(period: number): 'ready' | 'compiling' | 'none' {
    return this.compiled.has(period) ? 'ready' : this.pending.has(period) ? 'compiling' : 'none';
  }
}

/** Instantiates a period module on an instance's memory, linked to that instance's loadRound. */
export function linkRounds(module: WebAssembly.Module, memory: WebAssembly.Memory, pow: PowExports): RoundsFunction {
  const instance = new WebAssembly.Instance(module, { env: { [ROUNDS_MODULE.memory]: memory, [ROUNDS_MODULE.loadRound]: pow.loadRound } });
  return instance.exports[ROUNDS_MODULE.rounds] as RoundsFunction;
}
