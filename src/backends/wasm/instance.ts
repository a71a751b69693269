// One instantiation of the proof-of-work module with its private scratch area, plus typed
// access to the shared memory it runs on.
import { packedProgramWords } from '../../pow/progpow-program.js';
import { instantiatePow, powModule, type GatherEntries, type PowExports, type RoundsFunction } from './module.js';
import { evictFarthest, linkRounds } from './rounds-modules.js';

/** Low memory kept for the module's own static data (checked against heapBase). */
export const STATIC_BYTES = 64 * 1024;
/** Nonces hashed in lockstep by one instance. */
export const DEFAULT_BATCH = 32;
/** Solutions one search call can hold before the host drains them. */
export const DEFAULT_RESULTS = 256;
/** Largest lockstep batch (the result buffer holds DEFAULT_RESULTS, at least one batch). */
export const MAX_BATCH = 64;
/** The result buffer: a count, then per solution nonce lo, nonce hi, 8 digest words, 8 final words. */
export const RESULT_HEADER_BYTES = 16;
export const RESULT_BYTES = 72;
/** Program room in the module; ProgPoW 0.9.2 has 32. */
export const MAX_PROGRAM_OPS = 64;

const scratchSizes = new Map<string, number>();

/** Bytes of scratch an instance with this batch and result capacity needs. */
export function scratchBytes(batch = DEFAULT_BATCH, results = DEFAULT_RESULTS): number {
  const key = `${batch}/${results}`;
  let size = scratchSizes.get(key);
  if (size === undefined) {
    const probe = instantiatePow(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
    size = probe.scratchSize(batch, results);
    scratchSizes.set(key, size);
  }
  return size;
}

export interface RawSolution {
  readonly nonce: bigint;
  readonly mixDigest: Uint8Array;
  readonly finalHash: Uint8Array;
}

/** How a batch's loop iterations ran: in the period's generated module, or interpreted. */
export type RoundsEngine = 'generated' | 'interpreter';

export class PowInstance {
  readonly pow: PowExports;
  /** The generated module's rounds of each linked period, and the one in use. */
  private readonly linked = new Map<number, RoundsFunction>();
  private rounds: RoundsFunction | undefined;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly scratchBase: number,
    readonly batch = DEFAULT_BATCH,
    readonly results = DEFAULT_RESULTS,
    gather?: GatherEntries,
    module: WebAssembly.Module = powModule(),
  ) {
    this.pow = instantiatePow(memory, gather, module, (mix, entries, cdag, n) => this.rounds!(mix, entries, cdag, n));
    if (this.pow.heapBase() > STATIC_BYTES) throw new Error(`module static data exceeds ${STATIC_BYTES} bytes`);
    this.pow.configure(scratchBase, batch, results);
  }

  bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  words(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, length);
  }

  writeHeader(headerHash: Uint8Array): void {
    if (headerHash.length !== 32) throw new RangeError('header hash must be 32 bytes');
    this.bytes(this.pow.getHeaderPtr(), 32).set(headerHash);
  }

  /** The target as 8 words, most significant first; anything from 2^256 up accepts every hash. */
  writeTarget(target: bigint): void {
    const t = target >= 1n << 256n ? (1n << 256n) - 1n : target < 0n ? 0n : target;
    const words = this.words(this.pow.getTargetPtr(), 8);
    for (let i = 0; i < 8; i++) words[i] = Number((t >> BigInt(224 - 32 * i)) & 0xffffffffn);
  }

  /** Loads a packed period program (packProgram output) with `ops` operations. */
  loadProgram(packed: Uint32Array, ops: number): void {
    if (!Number.isInteger(ops) || ops < 1 || ops > MAX_PROGRAM_OPS || packed.length !== packedProgramWords(ops)) {
      throw new RangeError(`a packed program of ${ops} ops has ${packedProgramWords(ops)} words (at most ${MAX_PROGRAM_OPS} ops), got ${packed.length}`);
    }
    this.words(this.pow.getProgramPtr(), packed.length).set(packed);
    this.pow.setProgram(ops);
  }

  /**
   * Runs the loop iterations of `period` in its generated module (linked on first use), or,
   * without one, interprets the program loaded with loadProgram.
   */
  useRounds(period: number, module: WebAssembly.Module | undefined): RoundsEngine {
    if (!module) {
      this.rounds = undefined;
      this.pow.useGeneratedRounds(0);
      return 'interpreter';
    }
    // A period's module is fixed by the period: one linked before (from an earlier message) is the same.
    let rounds = this.linked.get(period);
    if (!rounds) {
      rounds = linkRounds(module, this.memory, this.pow);
      this.linked.set(period, rounds);
      evictFarthest(this.linked, period);
    }
    this.rounds = rounds;
    this.pow.useGeneratedRounds(1);
    return 'generated';
  }

  /** Digest and final hash of nonce `start + k` after hashBatch. */
  batchResult(k: number): { mixDigest: Uint8Array; finalHash: Uint8Array } {
    return {
      mixDigest: this.bytes(this.pow.getDigestPtr() + 32 * k, 32).slice(),
      finalHash: this.bytes(this.pow.getFinalPtr() + 32 * k, 32).slice(),
    };
  }

  resetResults(): void {
    this.words(this.pow.getResultsPtr(), 1)[0] = 0;
  }

  /** Solutions recorded by search calls since the last reset. */
  takeResults(): RawSolution[] {
    const base = this.pow.getResultsPtr();
    const count = this.words(base, 1)[0]!;
    const out: RawSolution[] = [];
    for (let i = 0; i < count; i++) {
      const rec = base + RESULT_HEADER_BYTES + i * RESULT_BYTES;
      const w = this.words(rec, 2);
      out.push({
        nonce: (BigInt(w[1]!) << 32n) | BigInt(w[0]!),
        mixDigest: this.bytes(rec + 8, 32).slice(),
        finalHash: this.bytes(rec + 40, 32).slice(),
      });
    }
    this.resetResults();
    return out;
  }
}
