// The WASM compute bound: the operations of a hash counted from a period's program (checked
// against a count by hand of the program at block 940410), the sum of their costs, and the
// micro-benchmarks that measure those costs on this machine (what they return, not how fast).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../src/pow/progpow-program.js';
import { computeBound, countOps } from '../src/backends/wasm/compute-bound.js';
import { measureOpCosts, type OpCosts } from '../src/backends/wasm/op-costs.js';

/** 64 iterations of 16 lanes. */
const PER_OP = 64 * 16;

test('the operations of a hash at block 940410 (period 18808), from its program', () => {
  const counts = countOps(buildProgram(18_808));
  // the period's 12 cache ops and 20 math ops: math kinds 0 x3, 1 x2, 2 x2, 4 x3, 5, 6, 8 x3, 9 x3, 10 x2;
  // merges of the 32 ops and 4 DAG words: kind 0 x12, 1 x6, 2 x9, 3 x9
  assert.equal(counts.cacheReads, 12 * PER_OP);
  assert.deepEqual(counts.math, [3, 2, 2, 0, 3, 1, 1, 0, 3, 3, 2].map((n) => n * PER_OP));
  assert.deepEqual(counts.merges, [12, 6, 9, 9].map((n) => n * PER_OP));
  assert.equal(counts.dagWords, 4 * PER_OP);
  assert.equal(counts.dagEntries, 64);
  assert.equal(counts.keccakF800, 2);
  assert.equal(counts.fillReduce, 1);
});

test('the bound is the sum of the counted operations times their costs, per thread', () => {
  const program = buildProgram(18_808);
  const costs: OpCosts = { merge: [1, 2, 3, 4], cacheRead: 5, math: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dagEntry: 100, keccakF800: 300, fillReduce: 400 };
  const bound = computeBound(countOps(program), costs, 2);
  const math = (3 * 0 + 2 * 1 + 2 * 2 + 3 * 4 + 5 + 6 + 3 * 8 + 3 * 9 + 2 * 10) * PER_OP;
  const merges = (12 * 1 + 6 * 2 + 9 * 3 + 9 * 4) * PER_OP;
  const ns = 12 * PER_OP * 5 + math + merges + 64 * 100 + 2 * 300 + 400;
  assert.equal(bound.nsPerHash, ns);
  assert.deepEqual(bound.nsPerHashBy, { cacheReads: 12 * PER_OP * 5, math, merges, dagEntries: 6400, keccakF800: 600, fillReduce: 400 });
  assert.equal(bound.hashesPerSecond, 2e9 / ns);
  assert.equal(computeBound(countOps(program), costs, 1).hashesPerSecond, 1e9 / ns);
});

test('the micro-benchmarks return a cost for every kind: finite, the merges and the per-hash parts above zero', async () => {
  const costs = await measureOpCosts({ batch: 4, reps: 3, ms: 0.5 });
  assert.equal(costs.merge.length, 4);
  assert.equal(costs.math.length, 11);
  for (const x of [...costs.merge, costs.dagEntry, costs.keccakF800]) assert.ok(Number.isFinite(x) && x > 0, String(x));
  for (const x of [costs.cacheRead, ...costs.math, costs.fillReduce]) assert.ok(Number.isFinite(x) && x >= 0, String(x));
  const bound = computeBound(countOps(buildProgram(18_808)), costs, 2);
  assert.ok(Number.isFinite(bound.hashesPerSecond) && bound.hashesPerSecond > 0);
});
