// The per-period ProgPoW random program, generated once as data (pow.md 5.2-5.3).
// Every backend renders this same structure: the TypeScript reference interprets it,
// the WASM backend receives its packed form, and the WebGPU backend turns it into WGSL.
import { kiss99FromFnv, type Kiss99 } from './kiss99.js';

/*
 * The ProgPoW 0.9.2 parameters (pow.md 5), defined here only: the reference imports them, the
 * WGSL kernels get them rendered in (webgpu/render-constants.ts) and the AssemblyScript build
 * generates them (wasm/assembly-constants.ts).
 */
export const PROGPOW_PERIOD = 50;
export const PROGPOW_LANES = 16;
export const PROGPOW_REGS = 32;
export const PROGPOW_DAG_LOADS = 4;
export const PROGPOW_CACHE_BYTES = 16 * 1024;
export const PROGPOW_CNT_DAG = 64;
export const PROGPOW_CNT_CACHE = 12;
export const PROGPOW_CNT_MATH = 20;
/** The cache (the first 16 KiB of the DAG) in words. */
export const PROGPOW_CACHE_WORDS = PROGPOW_CACHE_BYTES / 4;
/** Words of one DAG entry: what one loop iteration loads for all lanes. */
export const PROGPOW_ENTRY_WORDS = PROGPOW_LANES * PROGPOW_DAG_LOADS;

/** mix[dst] = merge(mix[dst], cdag[mix[src] % 4096], sel) */
export interface CacheOp {
  readonly kind: 'cache';
  readonly src: number;
  readonly dst: number;
  readonly sel: number;
}

/** mix[dst] = merge(mix[dst], math(mix[src1], mix[src2], sel1), sel2) */
export interface MathOp {
  readonly kind: 'math';
  readonly src1: number;
  readonly src2: number;
  readonly sel1: number;
  readonly dst: number;
  readonly sel2: number;
}

export type ProgramOp = CacheOp | MathOp;

export interface ProgpowProgram {
  /** periodOf(block) (pow/epoch.ts) */
  readonly period: number;
  /** The 32 register operations of one loop iteration, in execution order. */
  readonly ops: readonly ProgramOp[];
  /** Registers that the 4 DAG words merge into (dagDst[0] is always 0). */
  readonly dagDst: readonly number[];
  /** Merge selectors for the 4 DAG words. */
  readonly dagSel: readonly number[];
}

/** KISS99 state and register shuffles at the start of a period's program. */
export interface ProgramInit {
  readonly kiss: Kiss99;
  readonly dstSeq: number[];
  readonly srcSeq: number[];
}

export function progpowInit(period: number): ProgramInit {
  const lo = period >>> 0;
  const hi = Math.floor(period / 0x1_0000_0000) >>> 0;
  const kiss = kiss99FromFnv(lo, hi, lo, hi);
  const dstSeq = Array.from({ length: PROGPOW_REGS }, (_, i) => i);
  const srcSeq = Array.from({ length: PROGPOW_REGS }, (_, i) => i);
  for (let i = PROGPOW_REGS; i > 1; i--) {
    let j = kiss.next() % i;
    [dstSeq[i - 1], dstSeq[j]] = [dstSeq[j]!, dstSeq[i - 1]!];
    j = kiss.next() % i;
    [srcSeq[i - 1], srcSeq[j]] = [srcSeq[j]!, srcSeq[i - 1]!];
  }
  return { kiss, dstSeq, srcSeq };
}

const programCache = new Map<number, ProgpowProgram>();

/** The program of a period; draws happen in exactly the order of the reference loop. */
export function buildProgram(period: number): ProgpowProgram {
  const cached = programCache.get(period);
  if (cached) return cached;
  const { kiss, dstSeq, srcSeq } = progpowInit(period);
  let dc = 0;
  let sc = 0;
  const ops: ProgramOp[] = [];
  const maxOps = Math.max(PROGPOW_CNT_CACHE, PROGPOW_CNT_MATH);
  for (let i = 0; i < maxOps; i++) {
    if (i < PROGPOW_CNT_CACHE) {
      const src = srcSeq[sc++ % PROGPOW_REGS]!;
      const dst = dstSeq[dc++ % PROGPOW_REGS]!;
      const sel = kiss.next();
      ops.push({ kind: 'cache', src, dst, sel });
    }
    if (i < PROGPOW_CNT_MATH) {
      const t = kiss.next() % (PROGPOW_REGS * (PROGPOW_REGS - 1));
      const src1 = t % PROGPOW_REGS;
      let src2 = Math.floor(t / PROGPOW_REGS);
      if (src2 >= src1) src2++;
      const sel1 = kiss.next();
      const dst = dstSeq[dc++ % PROGPOW_REGS]!;
      const sel2 = kiss.next();
      ops.push({ kind: 'math', src1, src2, sel1, dst, sel2 });
    }
  }
  const dagDst: number[] = [];
  const dagSel: number[] = [];
  for (let i = 0; i < PROGPOW_DAG_LOADS; i++) {
    dagDst.push(i === 0 ? 0 : dstSeq[dc++ % PROGPOW_REGS]!);
    dagSel.push(kiss.next());
  }
  const program: ProgpowProgram = { period, ops, dagDst, dagSel };
  if (programCache.size > 8) programCache.clear();
  programCache.set(period, program);
  return program;
}

/** Op codes of the packed form. */
export const OP_CACHE = 0;
export const OP_MATH = 1;

/** Words per packed op: [kind, a, b, c, d, e] (cache: src, dst, sel, 0, 0; math: src1, src2, sel1, dst, sel2). */
export const PACKED_OP_WORDS = 6;

/** Words of a packed program of `ops` operations. */
export function packedProgramWords(ops: number): number {
  return ops * PACKED_OP_WORDS + 2 * PROGPOW_DAG_LOADS;
}

/**
 * The program as a flat u32 array for backends that take it as data (WASM):
 * ops.length * 6 words of ops, then 4 dagDst, then 4 dagSel.
 */
export function packProgram(program: ProgpowProgram): Uint32Array {
  const out = new Uint32Array(packedProgramWords(program.ops.length));
  let o = 0;
  for (const op of program.ops) {
    if (op.kind === 'cache') {
      out.set([OP_CACHE, op.src, op.dst, op.sel, 0, 0], o);
    } else {
      out.set([OP_MATH, op.src1, op.src2, op.sel1, op.dst, op.sel2], o);
    }
    o += PACKED_OP_WORDS;
  }
  out.set(program.dagDst, o);
  out.set(program.dagSel, o + PROGPOW_DAG_LOADS);
  return out;
}
