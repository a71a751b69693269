// Launch tuning at start: for each kernel variant, grow the workgroup count while the measured
// hashrate keeps rising, then size batches so one dispatch lasts about the wanted time.
import { randomBytes } from 'node:crypto';
import type { SearchJob } from '../backend.js';
import { hashesPerGroup, type SearchKernelConfig } from './search-shader.js';
import type { LaunchShape, SearchRunner } from './search-runner.js';

export interface TuneTrial {
  readonly config: SearchKernelConfig;
  readonly groups: number;
  /** Hashes per second. */
  readonly rate: number;
}

export interface TuneResult {
  readonly runner: SearchRunner;
  readonly shape: LaunchShape;
  /** Hashes per second of the chosen launch. */
  readonly rate: number;
  readonly trials: readonly TuneTrial[];
}

export interface TuneOptions {
  /** Period whose program the trials run (any period tunes the same). */
  readonly period: number;
  /** Wanted duration of one dispatch. */
  readonly batchMs: number;
  /** Wall time per trial. */
  readonly trialMs?: number;
  readonly maxGroups: number;
}

/** A job no nonce can solve, so trials measure pure hashing. */
function tuningJob(period: number): SearchJob {
  return { headerHash: randomBytes(32), height: period * 50, target: 0n };
}

/** Hashes per second at this workgroup count, from a run long enough to hide dispatch overhead. */
async function measure(runner: SearchRunner, job: SearchJob, period: number, groups: number, trialMs: number): Promise<number> {
  const step = groups * hashesPerGroup(runner.config);
  const roundUp = (n: number) => Math.max(step, Math.ceil(n / step) * step);
  let count = roundUp(runner.measuredRate * trialMs);
  for (let attempt = 0; ; attempt++) {
    const started = performance.now();
    // Several dispatches, so one overlaps another's readback as in a real search.
    const hashes = await runner.run(job, period, BigInt(Math.floor(Math.random() * 2 ** 48)), count, { groups, batch: roundUp(count / 2) }, { onBatch: () => {} });
    const ms = Math.max(1, performance.now() - started);
    if (ms >= trialMs / 2 || attempt >= 4) return (hashes / ms) * 1000;
    count = roundUp(count * Math.min(8, trialMs / ms));
  }
}

/**
 * Try each runner (one per kernel variant) and keep the fastest launch. Runners that lose
 * are destroyed; a variant that fails (for example a subgroup layout the adapter breaks)
 * is skipped.
 */
export async function autotune(runners: readonly SearchRunner[], options: TuneOptions): Promise<TuneResult> {
  const trialMs = options.trialMs ?? 100;
  const job = tuningJob(options.period);
  const trials: TuneTrial[] = [];
  let best: { runner: SearchRunner; groups: number; rate: number } | undefined;
  let lastError: unknown;
  for (const runner of runners) {
    runner.sleepForReadback = false;
    try {
      // The first dispatch pays for compilation on JIT drivers: keep it out of the numbers.
      await runner.run(job, options.period, 0n, hashesPerGroup(runner.config), { groups: 1, batch: hashesPerGroup(runner.config) }, { onBatch: () => {} });
      let runnerBest = 0;
      let misses = 0;
      for (let groups = 1; groups <= options.maxGroups && misses < 2; groups *= 2) {
        // Best of two: other load on the machine only ever makes a measurement slower.
        const rate = Math.max(await measure(runner, job, options.period, groups, trialMs), await measure(runner, job, options.period, groups, trialMs));
        trials.push({ config: runner.config, groups, rate });
        if (rate > runnerBest * 1.03) {
          runnerBest = rate;
          misses = 0;
        } else {
          misses++;
        }
        if (!best || rate > best.rate) best = { runner, groups, rate };
      }
    } catch (error) {
      lastError = error;
    } finally {
      runner.sleepForReadback = true;
    }
  }
  if (!best) throw lastError instanceof Error ? lastError : new Error('no search kernel variant ran');
  for (const runner of runners) if (runner !== best.runner) runner.destroy();
  const step = best.groups * hashesPerGroup(best.runner.config);
  const batch = Math.max(step, Math.round((best.rate * options.batchMs) / 1000 / step) * step);
  return { runner: best.runner, shape: { groups: best.groups, batch }, rate: best.rate, trials };
}
