// Launch tuning at start: for each kernel variant, grow the workgroup count while the measured
// hashrate keeps rising (and at least up to the count the adapter needs to use all of itself),
// settle the closest variants with longer head-to-head runs, then size batches so one dispatch
// lasts about the wanted time. The result says why it won, in words and with every trial.
import { randomBytes } from 'node:crypto';
import type { SearchJob } from '../backend.js';
import { periodStart } from '../../pow/epoch.js';
import { describeSearchConfig, hashesPerGroup, type SearchKernelConfig } from './search-shader.js';
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
  /** Why this launch: the sweep of each variant and the decision, in one line. */
  readonly reason: string;
  /** Wall time the tuning took, compiles included. */
  readonly seconds: number;
}

export interface TuneOptions {
  /** Period whose program the trials run (any period tunes the same). */
  readonly period: number;
  /** Wanted duration of one dispatch. */
  readonly batchMs: number;
  /** Wall time per trial. */
  readonly trialMs?: number;
  readonly maxGroups: number;
  /**
   * Workgroup counts below this are always tried, however the rate behaves: a software
   * adapter runs one workgroup per CPU thread, so it needs at least as many as it has
   * threads, and a GPU needs several per compute unit before misses mean anything.
   */
  readonly minGroups: number;
  /** What minGroups stands for, for the reason line ("2 CPU threads"). */
  readonly minGroupsWhy: string;
  /**
   * Whether counts below minGroups may be chosen. A software adapter's are not: they leave CPU
   * threads idle, which a trial on a machine busy with other work may fail to show.
   */
  readonly chooseBelowMinGroups: boolean;
}

/** A rate at most this much better counts as noise: the sweep stops after two of them. */
const GAIN = 1.03;
/** Launches within this fraction of the best count as equal; the one with more workgroups wins. */
const TIE = 0.03;
/** Head-to-head runs of the closest variants are this many trials long. */
const FINAL_TRIAL_FACTOR = 3;

/** A job no nonce can solve, so trials measure pure hashing. */
function tuningJob(period: number): SearchJob {
  return { headerHash: randomBytes(32), height: periodStart(period), target: 0n };
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

interface Candidate {
  readonly runner: SearchRunner;
  groups: number;
  rate: number;
}

const kHs = (rate: number) => `${(rate / 1000).toFixed(1)}k`;

/** Of one variant's trials at floor workgroups or more, the best launch, preferring more workgroups among near-equal rates. */
function bestOf(runner: SearchRunner, trials: readonly TuneTrial[], floor: number): Candidate | undefined {
  const own = trials.filter((t) => t.config === runner.config && t.groups >= floor);
  const top = Math.max(0, ...own.map((t) => t.rate));
  const near = own.filter((t) => t.rate >= top * (1 - TIE));
  const pick = near.sort((a, b) => b.groups - a.groups)[0];
  return pick && { runner, groups: pick.groups, rate: pick.rate };
}

/** One tuning session: the trials so far and each variant's best launch. */
class Tuning {
  readonly trials: TuneTrial[] = [];
  readonly candidates: Candidate[] = [];
  readonly sweeps: string[] = [];
  readonly job: SearchJob;
  readonly trialMs: number;
  lastError: unknown;

  constructor(readonly options: TuneOptions) {
    this.job = tuningJob(options.period);
    this.trialMs = options.trialMs ?? 100;
  }

  private measure(runner: SearchRunner, groups: number, trialMs = this.trialMs): Promise<number> {
    return measure(runner, this.job, this.options.period, groups, trialMs);
  }

  /** Grow the workgroup count of one variant until the rate stops rising. */
  async sweep(runner: SearchRunner): Promise<void> {
    const { options } = this;
    const name = describeSearchConfig(runner.config);
    try {
      // The first dispatch pays for compilation on JIT drivers: keep it out of the numbers.
      const one = hashesPerGroup(runner.config);
      await runner.run(this.job, options.period, 0n, one, { groups: 1, batch: one }, { onBatch: () => {} });
      let runnerBest = 0;
      let misses = 0;
      const steps: string[] = [];
      for (let groups = 1; groups <= options.maxGroups && (groups < options.minGroups || misses < 2); groups *= 2) {
        // Best of two: other load on the machine only ever makes a measurement slower.
        const rate = Math.max(await this.measure(runner, groups), await this.measure(runner, groups));
        this.trials.push({ config: runner.config, groups, rate });
        steps.push(`${groups}:${kHs(rate)}`);
        if (rate > runnerBest * GAIN) {
          runnerBest = rate;
          misses = 0;
        } else {
          misses++;
        }
      }
      this.sweeps.push(`${name} [${steps.join(' ')}]`);
      const best = bestOf(runner, this.trials, options.chooseBelowMinGroups ? 1 : options.minGroups);
      if (best) this.candidates.push(best);
    } catch (error) {
      this.lastError = error;
      this.sweeps.push(`${name} failed (${(error as Error).message})`);
    }
  }

  /**
   * Short trials on a busy machine cannot tell close variants apart: the two best run again,
   * longer and alternating, and the faster of those runs wins.
   */
  async runOff(): Promise<string> {
    const candidates = this.candidates.sort((a, b) => b.rate - a.rate);
    if (candidates.length < 2) return 'the only variant that ran';
    const pair = [candidates[0]!, candidates[1]!];
    const longer = this.trialMs * FINAL_TRIAL_FACTOR;
    const rates = [0, 0];
    for (const i of [0, 1, 0, 1]) rates[i] = Math.max(rates[i]!, await this.measure(pair[i]!.runner, pair[i]!.groups, longer));
    pair[0]!.rate = rates[0]!;
    pair[1]!.rate = rates[1]!;
    const [winner, loser] = rates[0]! >= rates[1]! ? [pair[0]!, pair[1]!] : [pair[1]!, pair[0]!];
    candidates.splice(0, 2, winner, loser);
    return `${(winner.rate / loser.rate).toFixed(2)}x ${describeSearchConfig(loser.runner.config)} at ${loser.groups} in a ${longer} ms run-off`;
  }
}

/**
 * Try each runner (one per kernel variant) and keep the fastest launch. Runners that lose
 * are destroyed; a variant that fails (for example a subgroup layout the adapter breaks)
 * is skipped, and the reason line says so.
 */
export async function autotune(runners: readonly SearchRunner[], options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const tuning = new Tuning(options);
  // Trials read back as soon as the GPU is done: a sleep sized from an older estimate would bound them.
  const sleeps = runners.map((runner) => runner.clock.sleep);
  for (const runner of runners) runner.clock.sleep = 'none';
  let decision: string;
  try {
    for (const runner of runners) await tuning.sweep(runner);
    if (tuning.candidates.length === 0) throw tuning.lastError instanceof Error ? tuning.lastError : new Error('no search kernel variant ran');
    decision = await tuning.runOff();
  } finally {
    runners.forEach((runner, i) => (runner.clock.sleep = sleeps[i]!));
  }
  const best = tuning.candidates[0]!;
  for (const runner of runners) if (runner !== best.runner) runner.destroy();
  const step = best.groups * hashesPerGroup(best.runner.config);
  const batch = Math.max(step, Math.round((best.rate * options.batchMs) / 1000 / step) * step);
  const reason =
    `chose ${describeSearchConfig(best.runner.config)} at ${best.groups} workgroups, ${kHs(best.rate)} H/s: ${decision}; ` +
    `swept at least ${options.minGroups} workgroups (${options.minGroupsWhy})${options.chooseBelowMinGroups ? '' : ', chose among those'}, ` +
    `ties within ${TIE * 100}% to more workgroups; ` +
    `workgroups:H/s ${tuning.sweeps.join('; ')}`;
  const seconds = (performance.now() - started) / 1000;
  return { runner: best.runner, shape: { groups: best.groups, batch }, rate: best.rate, trials: tuning.trials, reason, seconds };
}
