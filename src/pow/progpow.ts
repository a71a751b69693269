// ProgPoW 0.9.2 (pow.md 5.3): the reference hash, in light mode (DAG items computed from the
// cache on demand) or full mode (a dataset in memory). It interprets the period program data
// that the WASM and WebGPU backends render too.
import { FNV_OFFSET, fnv1a } from './fnv.js';
import { kiss99FromFnv } from './kiss99.js';
import {
  buildProgram, PROGPOW_CACHE_WORDS, PROGPOW_CNT_DAG, PROGPOW_DAG_LOADS, PROGPOW_ENTRY_WORDS, PROGPOW_LANES, PROGPOW_REGS,
  type ProgpowProgram,
} from './progpow-program.js';
import { progpowMath, progpowMerge } from './progpow-math.js';
import { keccakProgpow, progpowSeed } from './keccak-f800.js';
import { bytesLE, wordsLE } from '../util/bytes.js';
import { calcDatasetItem, makeCdag } from './ethash.js';
import { dagEntries, periodOf } from './epoch.js';

/** How a ProgPoW evaluation reaches the DAG. */
export interface DagReader {
  /** Number of 256-byte entries (floor(datasetSize / 256)). */
  readonly entries: number;
  /** The ProgPoW cache (PROGPOW_CACHE_WORDS words). */
  readonly cdag: Uint32Array;
  /** Copy the 64 words of entry `entryIndex` into out. */
  readEntry(entryIndex: number, out: Uint32Array): void;
}

/** Light evaluation: the four items of an entry are generated from the cache each time. */
export function lightDag(cache: Uint32Array, datasetSize: number, cdag = makeCdag(cache)): DagReader {
  return {
    entries: dagEntries(datasetSize),
    cdag,
    readEntry(entryIndex, out) {
      for (let i = 0; i < 4; i++) calcDatasetItem(cache, entryIndex * 4 + i, out.subarray(i * 16, i * 16 + 16));
    },
  };
}

/** Full evaluation over a dataset held as words. */
export function fullDag(dataset: Uint32Array, datasetSize: number): DagReader {
  return {
    entries: dagEntries(datasetSize),
    cdag: dataset.subarray(0, PROGPOW_CACHE_WORDS),
    readEntry(entryIndex, out) {
      out.set(dataset.subarray(entryIndex * PROGPOW_ENTRY_WORDS, (entryIndex + 1) * PROGPOW_ENTRY_WORDS));
    },
  };
}

export interface ProgpowResult {
  readonly mixDigest: Uint8Array;
  readonly finalHash: Uint8Array;
}

/** Each lane's 32 registers, from its own KISS99 stream seeded by the hash seed. */
export function fillMix(seedHi: number, seedLo: number, lane: number): Uint32Array {
  const kiss = kiss99FromFnv(seedLo, seedHi, lane, lane);
  const regs = new Uint32Array(PROGPOW_REGS);
  for (let i = 0; i < PROGPOW_REGS; i++) regs[i] = kiss.next();
  return regs;
}

function runLoop(program: ProgpowProgram, mix: Uint32Array[], loop: number, dag: DagReader, entry: Uint32Array): void {
  const cdag = dag.cdag;
  dag.readEntry(mix[loop % PROGPOW_LANES]![0]! % dag.entries, entry);
  for (const op of program.ops) {
    for (let l = 0; l < PROGPOW_LANES; l++) {
      const regs = mix[l]!;
      if (op.kind === 'cache') {
        regs[op.dst] = progpowMerge(regs[op.dst]!, cdag[regs[op.src]! % PROGPOW_CACHE_WORDS]!, op.sel);
      } else {
        regs[op.dst] = progpowMerge(regs[op.dst]!, progpowMath(regs[op.src1]!, regs[op.src2]!, op.sel1), op.sel2);
      }
    }
  }
  for (let l = 0; l < PROGPOW_LANES; l++) {
    const regs = mix[l]!;
    const offset = ((l ^ loop) % PROGPOW_LANES) * PROGPOW_DAG_LOADS;
    for (let i = 0; i < PROGPOW_DAG_LOADS; i++) {
      const dst = program.dagDst[i]!;
      regs[dst] = progpowMerge(regs[dst]!, entry[offset + i]!, program.dagSel[i]!);
    }
  }
}

/** The 8-word mix digest of a hash seed. */
export function progpowDigest(seedHi: number, seedLo: number, block: number, dag: DagReader): Uint32Array {
  const program = buildProgram(periodOf(block));
  const mix = Array.from({ length: PROGPOW_LANES }, (_, l) => fillMix(seedHi, seedLo, l));
  const entry = new Uint32Array(PROGPOW_ENTRY_WORDS);
  for (let loop = 0; loop < PROGPOW_CNT_DAG; loop++) runLoop(program, mix, loop, dag, entry);
  const digest = new Uint32Array(8).fill(FNV_OFFSET);
  for (let l = 0; l < PROGPOW_LANES; l++) {
    let laneHash = FNV_OFFSET;
    for (let i = 0; i < PROGPOW_REGS; i++) laneHash = fnv1a(laneHash, mix[l]![i]!);
    digest[l % 8] = fnv1a(digest[l % 8]!, laneHash);
  }
  return digest;
}

/** The final hash from header, seed and digest (pow.md 3.3). */
export function progpowFinal(header: Uint32Array, seedHi: number, seedLo: number, digest: Uint32Array): Uint8Array {
  return bytesLE(keccakProgpow(header, seedLo, seedHi, digest).subarray(0, 8));
}

export function progpowHash(headerHash: Uint8Array, nonce: bigint, block: number, dag: DagReader): ProgpowResult {
  if (headerHash.length !== 32) throw new RangeError('header hash must be 32 bytes');
  const header = wordsLE(headerHash);
  const seed = progpowSeed(header, nonce);
  const digest = progpowDigest(seed.hi, seed.lo, block, dag);
  return { mixDigest: bytesLE(digest), finalHash: progpowFinal(header, seed.hi, seed.lo, digest) };
}
