// A small WebAssembly binary encoder: types, imported memory and functions, defined functions
// and their exports, and the instructions (scalar, control and 128-bit SIMD) that the period
// kernels of render-rounds.ts use. No text format and no validation: WebAssembly.validate does that.

export const I32 = 0x7f;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof V128;

/** Opcodes of the scalar and control instructions used. */
export const Op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10, drop: 0x1a,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i32Store: 0x36, i32Const: 0x41,
  i32Eqz: 0x45, i32Ne: 0x47, i32LtU: 0x49,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Or: 0x72, i32Xor: 0x73,
  i32Shl: 0x74, i32ShrU: 0x76, i32Rotl: 0x77, i32Rotr: 0x78,
} as const;

/** Opcodes after the 0xfd prefix (the SIMD proposal as standardised). */
export const Simd = {
  v128Load: 0x00, v128Store: 0x0b, v128Const: 0x0c, i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11, i32x4ExtractLane: 0x1b, i32x4ReplaceLane: 0x1c,
  i32x4Eq: 0x37,
  v128And: 0x4e, v128Andnot: 0x4f, v128Or: 0x50, v128Xor: 0x51,
  v128Load32Lane: 0x56, v128Load32Zero: 0x5c,
  i8x16Popcnt: 0x62, i8x16Add: 0x6e,
  i16x8ExtaddPairwiseI8x16U: 0x7d, i32x4ExtaddPairwiseI16x8U: 0x7f,
  i32x4Shl: 0xab, i32x4ShrU: 0xad, i32x4Add: 0xae, i32x4Sub: 0xb1, i32x4Mul: 0xb5,
  i32x4MinS: 0xb6, i32x4MinU: 0xb7, i32x4MaxS: 0xb8,
  i64x2ExtmulLowI32x4U: 0xde, i64x2ExtmulHighI32x4U: 0xdf,
  f32x4ConvertI32x4S: 0xfa,
} as const;

const SIMD_PREFIX = 0xfd;
const BLOCK_EMPTY = 0x40;

function uleb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
}

/** Signed LEB128 of a 32-bit value. */
function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/** push(...items) without the argument-count limit of a spread. */
function append(out: number[], items: ArrayLike<number>): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

function utf8(out: number[], text: string): void {
  const bytes = new TextEncoder().encode(text);
  uleb(out, bytes.length);
  append(out, bytes);
}

/** A function body under construction; each method appends one instruction. */
export class Code {
  readonly bytes: number[] = [];

  op(code: number): this {
    this.bytes.push(code);
    return this;
  }

  simd(code: number): this {
    this.bytes.push(SIMD_PREFIX);
    uleb(this.bytes, code);
    return this;
  }

  private memarg(alignLog2: number, offset: number): this {
    uleb(this.bytes, alignLog2);
    uleb(this.bytes, offset);
    return this;
  }

  i32Const(value: number): this { this.op(Op.i32Const); sleb(this.bytes, value); return this; }
  localGet(index: number): this { this.op(Op.localGet); uleb(this.bytes, index); return this; }
  localSet(index: number): this { this.op(Op.localSet); uleb(this.bytes, index); return this; }
  localTee(index: number): this { this.op(Op.localTee); uleb(this.bytes, index); return this; }
  call(func: number): this { this.op(Op.call); uleb(this.bytes, func); return this; }
  block(): this { return this.op(Op.block).op(BLOCK_EMPTY); }
  loop(): this { return this.op(Op.loop).op(BLOCK_EMPTY); }
  end(): this { return this.op(Op.end); }
  brIf(depth: number): this { this.op(Op.brIf); uleb(this.bytes, depth); return this; }

  i32Load(offset: number): this { return this.op(Op.i32Load).memarg(2, offset); }
  i32Store(offset: number): this { return this.op(Op.i32Store).memarg(2, offset); }
  v128Load(offset: number): this { return this.simd(Simd.v128Load).memarg(4, offset); }
  v128Store(offset: number): this { return this.simd(Simd.v128Store).memarg(4, offset); }
  v128Load32Zero(offset: number): this { return this.simd(Simd.v128Load32Zero).memarg(2, offset); }
  v128Load32Lane(offset: number, lane: number): this { this.simd(Simd.v128Load32Lane).memarg(2, offset); this.bytes.push(lane); return this; }

  /** v128.const of four u32 lanes. */
  v128ConstU32(lanes: readonly [number, number, number, number]): this {
    this.simd(Simd.v128Const);
    for (const lane of lanes) for (let b = 0; b < 4; b++) this.bytes.push((lane >>> (8 * b)) & 0xff);
    return this;
  }

  /** i8x16.shuffle picking u32 lanes (0-3 from the first operand, 4-7 from the second). */
  shuffleU32(lanes: readonly [number, number, number, number]): this {
    this.simd(Simd.i8x16Shuffle);
    for (const lane of lanes) for (let b = 0; b < 4; b++) this.bytes.push(lane * 4 + b);
    return this;
  }

  extractLane(lane: number): this { this.simd(Simd.i32x4ExtractLane); this.bytes.push(lane); return this; }
  replaceLane(lane: number): this { this.simd(Simd.i32x4ReplaceLane); this.bytes.push(lane); return this; }
}

interface FuncDef {
  readonly type: number;
  readonly locals: readonly ValType[];
  readonly code: Code;
}

interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: number[];
}

export interface MemoryLimits {
  readonly min: number;
  readonly max: number;
  readonly shared: boolean;
}

/** A module: types are shared by signature, imports come first in the function index space. */
export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly imports: Import[] = [];
  private importedFuncs = 0;
  private readonly funcs: FuncDef[] = [];
  private readonly exports: { name: string; func: number }[] = [];

  type(params: readonly ValType[], results: readonly ValType[]): number {
    const key = [params.length, ...params, results.length, ...results].join(',');
    let index = this.types.indexOf(key);
    if (index < 0) index = this.types.push(key) - 1;
    return index;
  }

  importMemory(module: string, name: string, limits: MemoryLimits): void {
    const desc = [0x02, (limits.shared ? 2 : 0) | 1];
    uleb(desc, limits.min);
    uleb(desc, limits.max);
    this.imports.push({ module, name, desc });
  }

  importFunction(module: string, name: string, type: number): number {
    if (this.funcs.length) throw new Error('import functions before defining any');
    const desc = [0x00];
    uleb(desc, type);
    this.imports.push({ module, name, desc });
    return this.importedFuncs++;
  }

  /** Defines a function; its locals follow the parameters. Returns its index. */
  func(type: number, locals: readonly ValType[], code: Code, exportName?: string): number {
    const index = this.importedFuncs + this.funcs.push({ type, locals, code }) - 1;
    if (exportName) this.exports.push({ name: exportName, func: index });
    return index;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]) => {
      out.push(id);
      uleb(out, body.length);
      append(out, body);
    };
    const vec = <T>(items: readonly T[], each: (body: number[], item: T) => void): number[] => {
      const body: number[] = [];
      uleb(body, items.length);
      for (const item of items) each(body, item);
      return body;
    };
    section(1, vec(this.types, (b, key) => {
      b.push(0x60);
      append(b, key.split(',').map(Number));
    }));
    section(2, vec(this.imports, (b, imp) => {
      utf8(b, imp.module);
      utf8(b, imp.name);
      append(b, imp.desc);
    }));
    section(3, vec(this.funcs, (b, f) => uleb(b, f.type)));
    section(7, vec(this.exports, (b, e) => {
      utf8(b, e.name);
      b.push(0x00);
      uleb(b, e.func);
    }));
    section(10, vec(this.funcs, (b, f) => {
      const body: number[] = [];
      const runs: [number, ValType][] = [];
      for (const t of f.locals) {
        const last = runs.at(-1);
        if (last && last[1] === t) last[0]++;
        else runs.push([1, t]);
      }
      uleb(body, runs.length);
      for (const [count, t] of runs) {
        uleb(body, count);
        body.push(t);
      }
      append(body, f.code.bytes);
      body.push(Op.end);
      uleb(b, body.length);
      append(b, body);
    }));
    return Uint8Array.from(out);
  }
}
