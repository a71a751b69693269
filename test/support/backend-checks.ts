// Search backends checked against the reference: the expected solutions of a range, a backend's
// hash of one nonce through its search path, and the fixture of the tests that need the whole
// epoch-0 DAG (a backend prepared once before a file's tests, the light reference beside it).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dagSpec } from '../../src/pow/epoch.js';
import { lightDag, progpowHash, type DagReader, type ProgpowResult } from '../../src/pow/progpow.js';
import { meetsTarget } from '../../src/pow/target.js';
import type { SearchBackend, SearchJob, Solution } from '../../src/backends/backend.js';
import { lightCacheFor } from '../../src/backends/light-hasher.js';

export const EPOCH0 = dagSpec(0);
/** A target every hash meets. */
export const ANY_TARGET = (1n << 256n) - 1n;

/** Every solution of nonces start .. start+count-1 (wrapping at 2^64) by the reference, in nonce order. */
export function referenceSearch(dag: DagReader, job: SearchJob, start: bigint, count: number): Solution[] {
  const solutions: Solution[] = [];
  for (let i = 0; i < count; i++) {
    const nonce = BigInt.asUintN(64, start + BigInt(i));
    const r = progpowHash(job.headerHash, nonce, job.height, dag);
    if (meetsTarget(r.finalHash, job.target)) solutions.push({ nonce, ...r });
  }
  return solutions;
}

/** The backend's mix digest and final hash of one nonce, from a one-nonce search that must find it. */
export function searchedHash(backend: SearchBackend): (headerHash: Uint8Array, nonce: bigint, height: number) => Promise<ProgpowResult> {
  return async (headerHash, nonce, height) => {
    const r = await backend.search({ headerHash, height, target: ANY_TARGET }, nonce, 1);
    assert.equal(r.solutions.length, 1, `nonce ${nonce}`);
    return r.solutions[0]!;
  };
}

export interface Epoch0Fixture<B> {
  /** Prepared with the epoch-0 DAG (set before the first test). */
  readonly backend: B;
  /** The light-mode reference of epoch 0. */
  readonly light: DagReader;
}

/** Creates and prepares the backend before the file's tests, unless they skip, and closes it after them. */
export function epoch0Fixture<B extends SearchBackend>(skip: string | false, create: () => B | Promise<B>, timeoutMs: number): Epoch0Fixture<B> {
  const fixture: { backend?: B; light?: DagReader } = {};
  before(async () => {
    if (skip) return;
    fixture.backend = await create();
    // The build's pace in the log: what a timed-out run leaves to tell a slow machine from a stuck one.
    const started = performance.now();
    let reported = -1;
    await fixture.backend.prepare(EPOCH0, ({ done, total }) => {
      const tenth = Math.floor((10 * done) / total);
      if (tenth === reported) return;
      reported = tenth;
      console.log(`epoch-0 DAG: ${tenth * 10}% after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
    fixture.light = lightDag(lightCacheFor(EPOCH0), EPOCH0.datasetSize);
  }, { timeout: timeoutMs });
  // A backend whose build never finished must not hold the file open either.
  after(async () => {
    await fixture.backend?.close();
  }, { timeout: 60_000 });
  return fixture as Epoch0Fixture<B>;
}
