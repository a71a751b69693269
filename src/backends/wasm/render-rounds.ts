// A period's ProgPoW program rendered as a WebAssembly module (the CPU counterpart of
// webgpu/render-program.ts): the 64 loop iterations over a batch of nonces, each iteration's
// 32 operations and 4 DAG merges as straight-line 128-bit SIMD on registers at constant
// offsets, with every math kind, merge kind and rotation resolved here from the program data.
import {
  PROGPOW_CACHE_WORDS, PROGPOW_CNT_DAG, PROGPOW_DAG_LOADS, PROGPOW_LANES, PROGPOW_REGS, type ProgpowProgram, type ProgramOp,
} from '../../pow/progpow-program.js';
import { DAG_ENTRY_BYTES } from '../../pow/epoch.js';
import { Code, I32, ModuleBuilder, Simd, Op, V128, type ValType } from './wasm-encoder.js';

/**
 * Bytes of one nonce's mix in wasm memory, register-major, each register's 16 lanes (the AS
 * module's layout too: assembly-constants.ts renders it there).
 */
export const MIX_BYTES = PROGPOW_REGS * PROGPOW_LANES * 4;
const REG_BYTES = PROGPOW_LANES * 4;
/** Bytes of one nonce's DAG words for an iteration, as loadRound lays them out: load i of lanes 4g..4g+3 at (4i + g) * 16. */
export const ENTRY_BYTES = DAG_ENTRY_BYTES;
/** 128-bit vectors per register: lanes 4g..4g+3 form group g. */
const GROUPS = PROGPOW_LANES / 4;

/** What the module imports and exports (module.ts links them). */
export const ROUNDS_MODULE = {
  memory: 'memory',
  /** loadRound(r, n): the AS module brings in iteration r's DAG words of nonces 0..n-1. */
  loadRound: 'loadRound',
  /** rounds(mix, entries, cdag, n): the 64 iterations of n nonces. */
  rounds: 'rounds',
} as const;

/** The locals a body works with. */
export interface BodyLocals {
  /** i32: address of register 0, group 0 of the nonce (plus the groups already done). */
  readonly mix: number;
  /** i32: address of the DAG words laid out by loadRound, at the same group. */
  readonly entry: number;
  /** i32: address of the 16 KiB ProgPoW cache. */
  readonly cdag: number;
  /** v128 scratch: three for math, one for merges and one for cache gathers. */
  readonly v: readonly [number, number, number, number, number];
}

/** v128 value producers: each pushes one vector. */
type Push = () => void;

function regOffset(reg: number, group: number): number {
  return reg * REG_BYTES + group * 16;
}

/** Registers live in memory at constant offsets from the nonce's mix: each read pushes a vector or a lane, each write consumes one. */
function registers(c: Code, L: BodyLocals, group: number) {
  return {
    read: (reg: number) => () => { c.localGet(L.mix).v128Load(regOffset(reg, group)); },
    lane: (reg: number) => (j: number) => { c.localGet(L.mix).i32Load(regOffset(reg, group) + 4 * j); },
    write: (reg: number, value: Push) => { c.localGet(L.mix); value(); c.v128Store(regOffset(reg, group)); },
  };
}

/** Pushes merge(a, b, sel): the new value of the destination register (pow.md 5.1). */
export function emitMerge(c: Code, sel: number, a: Push, b: Push, t: number): void {
  const x = ((sel >>> 16) % 31) + 1;
  switch (sel % 4) {
    case 0: // a * 33 + b
      a(); c.localTee(t).i32Const(5).simd(Simd.i32x4Shl).localGet(t).simd(Simd.i32x4Add);
      b(); c.simd(Simd.i32x4Add);
      return;
    case 1: // (a ^ b) * 33
      a(); b(); c.simd(Simd.v128Xor).localTee(t).i32Const(5).simd(Simd.i32x4Shl).localGet(t).simd(Simd.i32x4Add);
      return;
    case 2: // rotl(a, x) ^ b
      a(); c.localTee(t).i32Const(x).simd(Simd.i32x4Shl).localGet(t).i32Const(32 - x).simd(Simd.i32x4ShrU).simd(Simd.v128Or);
      b(); c.simd(Simd.v128Xor);
      return;
    default: // rotr(a, x) ^ b
      a(); c.localTee(t).i32Const(x).simd(Simd.i32x4ShrU).localGet(t).i32Const(32 - x).simd(Simd.i32x4Shl).simd(Simd.v128Or);
      b(); c.simd(Simd.v128Xor);
  }
}

/** Pushes clz of each lane: the exponent of the lane's top bit, read from an exact float conversion. */
function emitClz(c: Code, x: Push, t: number): void {
  // y keeps x's top set bit and clears the one below it, so converting y to f32 cannot round up
  // to the next power of two; a lane with bit 31 set converts negative and clamps to 0, a zero lane to 32.
  c.v128ConstU32([158, 158, 158, 158]);
  x(); c.localTee(t).localGet(t).i32Const(1).simd(Simd.i32x4ShrU).simd(Simd.v128Andnot);
  c.simd(Simd.f32x4ConvertI32x4S).i32Const(23).simd(Simd.i32x4ShrU).simd(Simd.i32x4Sub);
  c.v128ConstU32([0, 0, 0, 0]).simd(Simd.i32x4MaxS).v128ConstU32([32, 32, 32, 32]).simd(Simd.i32x4MinS);
}

/**
 * Pushes math(a, b, sel) (pow.md 5.1). a/b push the operands as vectors; laneA/laneB push
 * one lane of them as an i32 (the variable rotations run lane by lane: SIMD shifts take one count).
 */
export function emitMath(c: Code, sel: number, a: Push, b: Push, laneA: (j: number) => void, laneB: (j: number) => void, t: readonly [number, number, number]): void {
  const binary = (op: number) => { a(); b(); c.simd(op); };
  switch (sel % 11) {
    case 0: return binary(Simd.i32x4Add);
    case 1: return binary(Simd.i32x4Mul);
    case 2: // high words of the four 64-bit products
      a(); c.localTee(t[0]); b(); c.localTee(t[1]).simd(Simd.i64x2ExtmulLowI32x4U);
      c.localGet(t[0]).localGet(t[1]).simd(Simd.i64x2ExtmulHighI32x4U).shuffleU32([1, 3, 5, 7]);
      return;
    case 3: return binary(Simd.i32x4MinU);
    case 4:
    case 5: {
      const rotate = sel % 11 === 4 ? Op.i32Rotl : Op.i32Rotr;
      for (let j = 0; j < 4; j++) {
        laneA(j); laneB(j); c.op(rotate);
        if (j === 0) c.simd(Simd.i32x4Splat);
        else c.replaceLane(j);
      }
      return;
    }
    case 6: return binary(Simd.v128And);
    case 7: return binary(Simd.v128Or);
    case 8: return binary(Simd.v128Xor);
    case 9:
      emitClz(c, a, t[2]);
      emitClz(c, b, t[2]);
      c.simd(Simd.i32x4Add);
      return;
    default: // popcount(a) + popcount(b): byte counts added (at most 16), then summed per lane
      a(); c.simd(Simd.i8x16Popcnt); b(); c.simd(Simd.i8x16Popcnt).simd(Simd.i8x16Add);
      c.simd(Simd.i16x8ExtaddPairwiseI8x16U).simd(Simd.i32x4ExtaddPairwiseI16x8U);
  }
}

/** Pushes the four cache words cdag[lane mod 4096] of a register's group. */
export function emitCacheRead(c: Code, L: BodyLocals, reg: number, group: number): void {
  const lane = registers(c, L, group).lane(reg);
  const address = (j: number) => {
    c.localGet(L.cdag);
    lane(j);
    c.i32Const(PROGPOW_CACHE_WORDS - 1).op(Op.i32And).i32Const(2).op(Op.i32Shl).op(Op.i32Add);
  };
  address(0);
  c.v128Load32Zero(0);
  for (let j = 1; j < 4; j++) {
    c.localSet(L.v[4]);
    address(j);
    c.localGet(L.v[4]).v128Load32Lane(0, j);
  }
}

/** One operation of the program on one group of lanes: mix[dst] = merge(mix[dst], source, sel). */
export function emitOp(c: Code, L: BodyLocals, op: ProgramOp, group: number): void {
  const R = registers(c, L, group);
  if (op.kind === 'cache') {
    R.write(op.dst, () => emitMerge(c, op.sel, R.read(op.dst), () => emitCacheRead(c, L, op.src, group), L.v[3]));
  } else {
    const math = () => emitMath(c, op.sel1, R.read(op.src1), R.read(op.src2), R.lane(op.src1), R.lane(op.src2), [L.v[0], L.v[1], L.v[2]]);
    R.write(op.dst, () => emitMerge(c, op.sel2, R.read(op.dst), math, L.v[3]));
  }
}

/** DAG word i merged into its register for one group (loadRound has put the words in lane order). */
export function emitDagMerge(c: Code, L: BodyLocals, dst: number, sel: number, i: number, group: number): void {
  const R = registers(c, L, group);
  R.write(dst, () => emitMerge(c, sel, R.read(dst), () => { c.localGet(L.entry).v128Load(i * 64 + group * 16); }, L.v[3]));
}

/** One iteration's program for `groups` consecutive lane groups, interleaved op by op. */
export function emitBody(c: Code, L: BodyLocals, program: ProgpowProgram, groups: number): void {
  for (const op of program.ops) for (let g = 0; g < groups; g++) emitOp(c, L, op, g);
  for (let i = 0; i < PROGPOW_DAG_LOADS; i++) for (let g = 0; g < groups; g++) emitDagMerge(c, L, program.dagDst[i]!, program.dagSel[i]!, i, g);
}

/** Two groups per body measured best on an AMD EPYC (Zen 5): four make the body too long, one leaves less to overlap. */
export const DEFAULT_GROUPS = 2;

export interface RenderOptions {
  /** Lane groups per straight-line body (1, 2 or 4): more gives the processor more independent work. */
  readonly groups?: 1 | 2 | 4;
}

/** The module of a period: imports env.memory (shared) and env.loadRound, exports rounds. */
export function renderRoundsModule(program: ProgpowProgram, options: RenderOptions = {}): Uint8Array<ArrayBuffer> {
  const groups = options.groups ?? DEFAULT_GROUPS;
  if (PROGPOW_LANES !== 16 || PROGPOW_DAG_LOADS !== 4) throw new Error(`the rounds module is written for 16 lanes of 4 DAG words, not ${PROGPOW_LANES} of ${PROGPOW_DAG_LOADS}`);
  const mb = new ModuleBuilder();
  mb.importMemory('env', ROUNDS_MODULE.memory, { min: 1, max: 65536, shared: true });
  const loadRound = mb.importFunction('env', ROUNDS_MODULE.loadRound, mb.type([I32, I32], []));
  const [mix, ent, cdag, n, r, it, count, m, e] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const locals: ValType[] = [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128];
  const L: BodyLocals = { mix: m, entry: e, cdag, v: [9, 10, 11, 12, 13] };
  const perNonce = GROUPS / groups;
  const shift = Math.log2(perNonce);
  const c = new Code();
  // address of iteration `it`: nonce it >> shift, groups (it & (perNonce - 1)) * groups
  const base = (from: number, stride: number) => {
    c.localGet(from).localGet(it).i32Const(shift).op(Op.i32ShrU).i32Const(stride).op(Op.i32Mul).op(Op.i32Add);
    c.localGet(it).i32Const(perNonce - 1).op(Op.i32And).i32Const(16 * groups).op(Op.i32Mul).op(Op.i32Add);
  };
  c.block().localGet(n).op(Op.i32Eqz).brIf(0);
  c.localGet(n).i32Const(shift).op(Op.i32Shl).localSet(count);
  c.loop();
  c.localGet(r).localGet(n).call(loadRound);
  c.i32Const(0).localSet(it);
  c.loop();
  base(mix, MIX_BYTES); c.localSet(m);
  base(ent, ENTRY_BYTES); c.localSet(e);
  emitBody(c, L, program, groups);
  c.localGet(it).i32Const(1).op(Op.i32Add).localTee(it).localGet(count).op(Op.i32LtU).brIf(0);
  c.end();
  c.localGet(r).i32Const(1).op(Op.i32Add).localTee(r).i32Const(PROGPOW_CNT_DAG).op(Op.i32LtU).brIf(0);
  c.end();
  c.end();
  mb.func(mb.type([I32, I32, I32, I32], []), locals, c, ROUNDS_MODULE.rounds);
  return mb.encode();
}
