// What each kind of ProgPoW operation costs on this machine in WASM SIMD, measured with
// micro-benchmarks rendered by the same emitters as the period modules (render-rounds.ts):
// a loop over 32 operations of one kind on two interleaved lane groups, the registers and the
// cache hot, best of several timings; and, through the AS module, an iteration's DAG entry
// (from a DAG small enough to stay in cache), keccak-f800 and the rest of a hash (initial mix, digest).
import { PROGPOW_CACHE_BYTES, PROGPOW_REGS, type ProgramOp } from '../../pow/progpow-program.js';
import { Code, I32, ModuleBuilder, Op, V128, type ValType } from './wasm-encoder.js';
import { DEFAULT_GROUPS, emitDagMerge, emitOp, ENTRY_BYTES, MIX_BYTES, type BodyLocals } from './render-rounds.js';
import { createSharedMemory } from './module.js';
import { PowInstance, scratchBytes, STATIC_BYTES } from './instance.js';

/** Nanoseconds per lane of each operation kind (a vector op does four lanes). */
export interface OpCosts {
  /** A DAG word merged into a register with merge kind 0..3: the word's load, the merge, the register's load and store. */
  readonly merge: readonly number[];
  /** What a cache read adds to a merge: the register lane's index, the 16 KiB cache load, the insert. */
  readonly cacheRead: number;
  /** What each random-math kind 0..10 adds to a merge. */
  readonly math: readonly number[];
  /** One nonce's DAG entry of an iteration: its index, the loads, the transposition into lane order. */
  readonly dagEntry: number;
  /** One keccak-f800 permutation (a hash has two: its seed and its final hash). */
  readonly keccakF800: number;
  /** The rest of a hash besides its two keccak-f800: the initial mix and the digest. */
  readonly fillReduce: number;
}

const OPS_PER_BLOCK = 32;
/** Warm-up before the timings, and the bounds on the timing rounds (nsPerUnit). */
const WARMUP_MS = 100;
const STABLE_ROUNDS = 8;
const MAX_ROUNDS = 200;
const LANES_PER_ITERATION = OPS_PER_BLOCK * DEFAULT_GROUPS * 4;

/** A small deterministic generator for the micro-benchmarks' register choices. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 8;
}

/** A merge selector of kind `kind` with a varying rotation. */
const mergeSel = (next: () => number, kind: number) => (((next() & 0xffff) << 16) | kind) >>> 0;

type Kernel = { readonly name: string; readonly emit: (c: Code, L: BodyLocals) => void };

function kernels(): Kernel[] {
  const out: Kernel[] = [];
  const block = (name: string, make: (next: () => number, j: number) => ProgramOp | { dag: true; dst: number; sel: number; i: number }) => {
    out.push({
      name,
      emit(c, L) {
        const next = lcg(name.length * 7919 + name.charCodeAt(name.length - 1));
        for (let j = 0; j < OPS_PER_BLOCK; j++) {
          const op = make(next, j);
          for (let g = 0; g < DEFAULT_GROUPS; g++) {
            if ('dag' in op) emitDagMerge(c, L, op.dst, op.sel, op.i, g);
            else emitOp(c, L, op, g);
          }
        }
      },
    });
  };
  for (let m = 0; m < 4; m++) block(`merge${m}`, (next, j) => ({ dag: true, dst: next() % PROGPOW_REGS, sel: mergeSel(next, m), i: j % 4 }));
  block('cache', (next) => ({ kind: 'cache', src: next() % PROGPOW_REGS, dst: next() % PROGPOW_REGS, sel: mergeSel(next, 0) }));
  for (let k = 0; k < 11; k++) {
    block(`math${k}`, (next) => {
      const src1 = next() % PROGPOW_REGS;
      const src2 = (src1 + 1 + (next() % (PROGPOW_REGS - 1))) % PROGPOW_REGS;
      return { kind: 'math', src1, src2, sel1: k, dst: next() % PROGPOW_REGS, sel2: mergeSel(next, 0) };
    });
  }
  return out;
}

/** One exported function per kernel: run(mix, entry, cdag, iterations). */
function renderKernels(list: readonly Kernel[]): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory', { min: 1, max: 65536, shared: true });
  const type = mb.type([I32, I32, I32, I32], []);
  const locals: ValType[] = [V128, V128, V128, V128, V128];
  const L: BodyLocals = { mix: 0, entry: 1, cdag: 2, v: [4, 5, 6, 7, 8] };
  for (const k of list) {
    const c = new Code();
    c.loop();
    k.emit(c, L);
    c.localGet(3).i32Const(1).op(Op.i32Sub).localTee(3).brIf(0);
    c.end();
    mb.func(type, locals, c, k.name);
  }
  return mb.encode();
}

interface Probe {
  /** Does n times `units` units of work. */
  readonly work: (n: number) => void;
  readonly units: number;
}

function timeMs(call: () => void): number {
  const t = performance.now();
  call();
  return performance.now() - t;
}

/** The fastest of three calls: a call another process preempted says nothing of the work. */
const fastestMs = (call: () => void) => Math.min(timeMs(call), timeMs(call), timeMs(call));

/** How many times `work` is repeated to take about `ms`. */
function sizeFor(work: (n: number) => void, ms: number): number {
  let n = 1;
  while (fastestMs(() => work(n)) < ms / 4) n *= 4;
  return Math.max(n, Math.round((n * ms) / fastestMs(() => work(n))));
}

/**
 * Nanoseconds per unit of each probe: all warmed up (the engine replaces a function's
 * first-tier code once its background compile is done, which on a loaded machine can come
 * late), each call then sized to take about `ms`, and timed in rounds that visit every probe in
 * turn, so that a burst of load from other processes falls on one round rather than on one
 * probe; the fastest round of each counts. The rounds go on (at least `reps`, at most
 * MAX_ROUNDS) until STABLE_ROUNDS in a row improve no probe by more than 3%.
 */
function nsPerUnit(probes: readonly Probe[], ms: number, reps: number): number[] {
  let sizes = probes.map((p) => sizeFor(p.work, ms));
  for (const until = performance.now() + WARMUP_MS; performance.now() < until;) probes.forEach((p, i) => p.work(sizes[i]!));
  sizes = probes.map((p, i) => Math.max(sizes[i]!, sizeFor(p.work, ms)));
  const best = probes.map(() => Infinity);
  for (let r = 0, lastGain = 0; r < MAX_ROUNDS && (r < reps || r - lastGain <= STABLE_ROUNDS); r++) {
    probes.forEach((p, i) => {
      const t = timeMs(() => p.work(sizes[i]!));
      if (t < 0.97 * best[i]!) lastGain = r;
      best[i] = Math.min(best[i]!, t);
    });
  }
  return best.map((t, i) => (t * 1e6) / (sizes[i]! * probes[i]!.units));
}

export interface OpCostOptions {
  /** Nonces per loadRound and hashBatchEnds call (the backend's batch). */
  readonly batch?: number;
  /** Timings per figure; the fastest counts. */
  readonly reps?: number;
  /** Milliseconds of each timing. */
  readonly ms?: number;
}

/** Measures every cost on the calling thread (about a second). */
export async function measureOpCosts(options: OpCostOptions = {}): Promise<OpCosts> {
  const batch = options.batch ?? 8;
  const reps = options.reps ?? 15;
  const ms = options.ms ?? 1;
  const list = kernels();
  const module = await WebAssembly.compile(renderKernels(list));

  const entries = 16; // a 4 KiB DAG: every entry stays in cache
  const scratch = STATIC_BYTES;
  const cdag = Math.ceil((scratch + scratchBytes(batch, 1)) / 64) * 64;
  const dag = cdag + PROGPOW_CACHE_BYTES;
  const mix = dag + entries * ENTRY_BYTES;
  const entry = mix + MIX_BYTES;
  const keccakState = entry + ENTRY_BYTES;
  const memory = createSharedMemory(keccakState + 128);
  const words = new Uint32Array(memory.buffer, cdag, (keccakState + 128 - cdag) / 4);
  const next = lcg(12345);
  for (let i = 0; i < words.length; i++) words[i] = (next() << 8) ^ next();

  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const run = instance.exports as Record<string, (mix: number, entry: number, cdag: number, iterations: number) => void>;
  const pow = new PowInstance(memory, scratch, batch, 1);
  pow.pow.setDag(cdag, dag, entries, entries, 0);
  pow.writeHeader(new Uint8Array(32).fill(0x5a));
  const ns = nsPerUnit([
    ...list.map((k) => ({ work: (n: number) => run[k.name]!(mix, entry, cdag, n), units: LANES_PER_ITERATION })),
    { work: (n) => { for (let i = 0; i < n; i++) pow.pow.loadRound(i & 63, batch); }, units: batch },
    { work: (n) => { for (let i = 0; i < n; i++) pow.pow.hashBatchEnds(BigInt(i * batch), batch); }, units: batch },
    { work: (n) => { for (let i = 0; i < n; i++) pow.pow.keccakF800(keccakState); }, units: 1 },
  ], ms, reps);
  const byName = new Map(list.map((k, i) => [k.name, ns[i]!]));
  const merge = [0, 1, 2, 3].map((m) => byName.get(`merge${m}`)!);
  const extra = (name: string) => Math.max(0, byName.get(name)! - merge[0]!);
  return {
    merge,
    cacheRead: extra('cache'),
    math: Array.from({ length: 11 }, (_, k) => extra(`math${k}`)),
    dagEntry: ns[list.length]!,
    keccakF800: ns[list.length + 2]!,
    fillReduce: Math.max(0, ns[list.length + 1]! - 2 * ns[list.length + 2]!),
  };
}
