// The compute bound of the WASM search: the operations of one hash counted from the period's
// program (cache reads, each random-math kind, merges, DAG words and entries, keccak-f800, the
// initial mix and digest),
// each costed on this machine (op-costs.ts), summed to nanoseconds per hash and hashes per
// second on a number of threads. DAG misses are left out by design: the fraction of the bound
// a search reaches says what they, and everything else outside the operations, cost.
import { PROGPOW_CNT_DAG, PROGPOW_DAG_LOADS, PROGPOW_LANES, type ProgpowProgram } from '../../pow/progpow-program.js';
import type { OpCosts } from './op-costs.js';

/** Operations of one hash, lane by lane (each of the 16 lanes does its own). */
export interface OpCounts {
  readonly cacheReads: number;
  /** By random-math kind, sel % 11. */
  readonly math: readonly number[];
  /** By merge kind, sel % 4: the ops' merges and the DAG words'. */
  readonly merges: readonly number[];
  readonly dagWords: number;
  /** DAG entries brought in: one per loop iteration. */
  readonly dagEntries: number;
  /** The seed's and the final hash's. */
  readonly keccakF800: number;
  /** The initial mix and the digest: once per hash. */
  readonly fillReduce: number;
}

export function countOps(program: ProgpowProgram): OpCounts {
  const perIteration = PROGPOW_LANES * PROGPOW_CNT_DAG;
  const math = new Array<number>(11).fill(0);
  const merges = new Array<number>(4).fill(0);
  let cacheReads = 0;
  for (const op of program.ops) {
    if (op.kind === 'cache') {
      cacheReads += perIteration;
      merges[op.sel % 4]! += perIteration;
    } else {
      math[op.sel1 % 11]! += perIteration;
      merges[op.sel2 % 4]! += perIteration;
    }
  }
  for (const sel of program.dagSel) merges[sel % 4]! += perIteration;
  return { cacheReads, math, merges, dagWords: PROGPOW_DAG_LOADS * perIteration, dagEntries: PROGPOW_CNT_DAG, keccakF800: 2, fillReduce: 1 };
}

export interface ComputeBound {
  /** Hashes per second of `threads` threads if a hash cost only its operations. */
  readonly hashesPerSecond: number;
  readonly threads: number;
  /** One thread's nanoseconds per hash, and what they are made of. */
  readonly nsPerHash: number;
  readonly nsPerHashBy: {
    readonly cacheReads: number; readonly math: number; readonly merges: number; readonly dagEntries: number;
    readonly keccakF800: number; readonly fillReduce: number;
  };
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** The merge costs include the load of the word merged: the DAG words' own cost. */
export function computeBound(counts: OpCounts, costs: OpCosts, threads: number): ComputeBound {
  const by = {
    cacheReads: counts.cacheReads * costs.cacheRead,
    math: dot(counts.math, costs.math),
    merges: dot(counts.merges, costs.merge),
    dagEntries: counts.dagEntries * costs.dagEntry,
    keccakF800: counts.keccakF800 * costs.keccakF800,
    fillReduce: counts.fillReduce * costs.fillReduce,
  };
  const nsPerHash = Object.values(by).reduce((a, b) => a + b, 0);
  return { hashesPerSecond: (threads * 1e9) / nsPerHash, threads, nsPerHash, nsPerHashBy: by };
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/**
 * What `bench --backend wasm --json` prints as computeBound: the bound, the fraction of it the
 * search reached (and, per busy thread, of one thread's bound: on a machine shared with other
 * processes that fraction is the one their load does not lower; NaN where CPU time is unknown),
 * and its parts.
 */
export function boundReport(program: ProgpowProgram, costs: OpCosts, threads: number, hashrate: number, hashesPerCpuSecond: number) {
  const counts = countOps(program);
  const bound = computeBound(counts, costs, threads);
  return {
    hashesPerSecond: round(bound.hashesPerSecond),
    fraction: round(hashrate / bound.hashesPerSecond, 3),
    fractionPerCpuSecond: round((hashesPerCpuSecond * threads) / bound.hashesPerSecond, 3),
    threads,
    nsPerHash: round(bound.nsPerHash),
    nsPerHashBy: Object.fromEntries(Object.entries(bound.nsPerHashBy).map(([k, v]) => [k, round(v)])),
    counts,
    nsPerLane: {
      cacheRead: round(costs.cacheRead, 3),
      math: costs.math.map((x) => round(x, 3)),
      merge: costs.merge.map((x) => round(x, 3)),
    },
    nsPerDagEntry: round(costs.dagEntry, 1),
    nsPerKeccakF800: round(costs.keccakF800, 1),
    nsPerFillReduce: round(costs.fillReduce),
  };
}
