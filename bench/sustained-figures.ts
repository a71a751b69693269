// The figures of bench/sustained.ts from what a run recorded: every search (job, when it was
// issued, when it ended, hashes), every job the rig was given, and the steady windows, when the
// rig was paused and the same backend hashed one job alone. A search's hashes are spread evenly
// over its execution window (from when it was issued or the instance's previous search ended,
// whichever is later, to its end); only the part that falls while its job was the current one,
// outside the steady windows, counts as hashing current work. The steady rate at any moment is
// interpolated between the windows, so a machine whose speed drifts is compared with itself.
// Pure functions, so the rules can be tested.
import { EPOCH_LENGTH, epochOf, periodOf } from '../src/pow/epoch.js';
import { PROGPOW_PERIOD } from '../src/pow/progpow-program.js';

/** One search handed to a backend. Times in ms on one clock (performance.now()). */
export interface SearchRecord {
  /** Which backend instance ran it: searches of one instance run one after another. */
  readonly instance: number;
  /** The job it searched (its header hash, hex). */
  readonly job: string;
  readonly issuedAt: number;
  readonly endedAt: number;
  readonly hashes: number;
}

/** A job as the rig received it: current from `at` until the next job's `at`. */
export interface JobRecord {
  readonly job: string;
  readonly height: number;
  readonly at: number;
}

/** A steady window: the rig paused at `pausedAt`, the backend hashed one job alone at `rate`, the rig resumed at `resumedAt`. */
export interface SteadyWindow {
  readonly pausedAt: number;
  readonly resumedAt: number;
  /** The middle of the measurement. */
  readonly at: number;
  readonly rate: number;
  /** Hashes per CPU second of the miner's process while it hashed one job alone. */
  readonly perCpuSecond?: number;
  /** CPU seconds of the process from the pause to the resume (a window inside the run). */
  readonly cpuSeconds?: number;
}

/** About SERO mainnet's block time, which the per-event costs are projected onto. */
export const MAINNET_BLOCK_SECONDS = 13;

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

export interface Window {
  readonly record: SearchRecord;
  readonly start: number;
}

/** Each search's execution window start: issued, or when the instance's earlier searches had ended. */
export function executionWindows(records: readonly SearchRecord[]): Window[] {
  const byInstance = new Map<number, SearchRecord[]>();
  for (const r of records) byInstance.set(r.instance, [...(byInstance.get(r.instance) ?? []), r]);
  const windows: Window[] = [];
  for (const list of byInstance.values()) {
    let busyUntil = -Infinity;
    for (const record of [...list].sort((a, b) => a.issuedAt - b.issuedAt)) {
      windows.push({ record, start: Math.min(record.endedAt, Math.max(record.issuedAt, busyUntil)) });
      busyUntil = Math.max(busyUntil, record.endedAt);
    }
  }
  return windows;
}

/** Hashes of a window that fall inside [from, to), at an even rate over the window. */
export function hashesWithin(window: Window, from: number, to: number): number {
  const { start } = window;
  const { endedAt, hashes } = window.record;
  if (endedAt <= start) return start >= from && start < to ? hashes : 0;
  const overlap = Math.min(endedAt, to) - Math.max(start, from);
  return overlap > 0 ? (hashes * overlap) / (endedAt - start) : 0;
}

/** Rate of one job's searches over [from, to). */
export function rateWithin(windows: readonly Window[], job: string, from: number, to: number): number {
  const hashes = windows.filter((w) => w.record.job === job).reduce((sum, w) => sum + hashesWithin(w, from, to), 0);
  return (hashes * 1000) / (to - from);
}

/** The steady rate at a moment: linear between the windows around it, the nearest one's outside them. */
export function steadyAt(windows: readonly SteadyWindow[], at: number): number {
  const sorted = [...windows].sort((a, b) => a.at - b.at);
  if (sorted.length === 0) throw new Error('no steady window');
  if (at <= sorted[0]!.at) return sorted[0]!.rate;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (at <= b.at) return a.rate + ((b.rate - a.rate) * (at - a.at)) / (b.at - a.at);
  }
  return sorted[sorted.length - 1]!.rate;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

/** [from, to) without the spans cut out of it. */
function without(from: number, to: number, cuts: readonly Span[]): Span[] {
  let pieces: Span[] = [{ from, to }];
  for (const cut of cuts) {
    pieces = pieces.flatMap((p) => [{ from: p.from, to: Math.min(p.to, cut.from) }, { from: Math.max(p.from, cut.to), to: p.to }]).filter((p) => p.to > p.from);
  }
  return pieces;
}

/** One job's share of the run. */
export interface JobFigures {
  readonly height: number;
  /** Milliseconds it was current, outside the steady windows. */
  readonly ms: number;
  /** Hashes of this job while it was current. */
  readonly currentHashes: number;
  /** Hashes the steady rate would have made meanwhile. */
  readonly steadyHashes: number;
  /** From the job's arrival to its first search's start; undefined when none started, or the job met a steady window. */
  readonly firstHashMs: number | undefined;
  /** Seconds of steady hashing it fell short by. */
  readonly deficitSeconds: number;
}

/**
 * Each job's figures. A steady window is cut out from the pause to the rig's first search that
 * starts after it resumed, so neither the window nor the way back from it counts.
 */
export function jobFigures(windows: readonly Window[], jobs: readonly JobRecord[], endAt: number, steady: readonly SteadyWindow[]): JobFigures[] {
  const rigJobs = new Set(jobs.map((j) => j.job));
  const rigStarts = windows.filter((w) => rigJobs.has(w.record.job)).map((w) => w.start).sort((a, b) => a - b);
  const cuts = steady.filter((s) => s.pausedAt < endAt).map((s) => ({ from: s.pausedAt, to: rigStarts.find((t) => t >= s.resumedAt) ?? s.resumedAt }));
  const byJob = new Map<string, Window[]>();
  for (const w of windows) byJob.set(w.record.job, [...(byJob.get(w.record.job) ?? []), w]);
  return jobs.map((job, i) => {
    const from = job.at;
    const to = Math.min(endAt, jobs[i + 1]?.at ?? endAt);
    const spans = without(from, to, cuts);
    const own = byJob.get(job.job) ?? [];
    const currentHashes = spans.reduce((sum, s) => sum + own.reduce((n, w) => n + hashesWithin(w, s.from, s.to), 0), 0);
    const steadyHashes = spans.reduce((sum, s) => sum + ((s.to - s.from) / 1000) * steadyAt(steady, (s.from + s.to) / 2), 0);
    const starts = own.map((w) => w.start).filter((t) => t < to);
    const met = spans.length !== 1 || spans[0]!.from !== from || spans[0]!.to !== to;
    const firstHashMs = starts.length > 0 && !met ? Math.max(0, Math.min(...starts) - from) : undefined;
    const rate = steadyAt(steady, (from + to) / 2);
    return { height: job.height, ms: spans.reduce((sum, s) => sum + s.to - s.from, 0), currentHashes, steadyHashes, firstHashMs, deficitSeconds: (steadyHashes - currentHashes) / rate };
  });
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const defined = (values: readonly (number | undefined)[]) => values.filter((v): v is number => v !== undefined);

export interface PeriodFigures {
  readonly period: number;
  readonly jobs: number;
  readonly seconds: number;
  /** The period's deficit beyond its jobs' median deficit each: what changing to it and compiling ahead cost. */
  readonly excessSeconds: number;
  /** It is the last period of an epoch or the first of the next. */
  readonly aroundEpochChange: boolean;
}

/** Everything but the pool's side, from a run's searches, jobs (in order of arrival) and steady windows. */
export function sustainedFigures(records: readonly SearchRecord[], jobs: readonly JobRecord[], endAt: number, steady: readonly SteadyWindow[]) {
  if (jobs.length === 0) throw new Error('the run received no job');
  const figures = jobFigures(executionWindows(records), jobs, endAt, steady);
  const seconds = figures.reduce((s, f) => s + f.ms, 0) / 1000;
  const currentHashes = figures.reduce((s, f) => s + f.currentHashes, 0);
  const steadyHashes = figures.reduce((s, f) => s + f.steadyHashes, 0);
  const perJob = median(figures.map((f) => f.deficitSeconds));
  const changes = (i: number, of: (h: number) => number) => i > 0 && of(figures[i]!.height) !== of(figures[i - 1]!.height);
  const ordinary = figures.filter((_, i) => i > 0 && !changes(i, periodOf));

  // Complete periods: from a period change seen in the run to the next one.
  const firsts = figures.map((_, i) => i).filter((i) => changes(i, periodOf));
  const epochIndex = figures.findIndex((_, i) => changes(i, epochOf));
  const epochPeriod = epochIndex >= 0 ? periodOf(figures[epochIndex]!.height) : undefined;
  const periods: PeriodFigures[] = [];
  for (let k = 0; k + 1 < firsts.length; k++) {
    const own = figures.slice(firsts[k], firsts[k + 1]);
    const period = periodOf(own[0]!.height);
    periods.push({
      period,
      jobs: own.length,
      seconds: round(own.reduce((s, f) => s + f.ms, 0) / 1000, 1),
      excessSeconds: round(own.reduce((s, f) => s + f.deficitSeconds - perJob, 0)),
      aroundEpochChange: epochPeriod !== undefined && (period === epochPeriod || period === epochPeriod - 1),
    });
  }
  const plain = periods.filter((p) => !p.aroundEpochChange).map((p) => p.excessSeconds);
  const periodCost = plain.length > 0 ? median(plain) : NaN;
  const around = periods.filter((p) => p.aroundEpochChange);
  // The two periods around the boundary, beyond what two ordinary periods cost.
  const epochCost = around.length === 2 && plain.length > 0 ? around.reduce((s, p) => s + p.excessSeconds, 0) - 2 * periodCost : null;

  const totalDeficit = figures.reduce((s, f) => s + f.deficitSeconds, 0);
  const jobPart = perJob * figures.length;
  const periodPart = plain.reduce((s, x) => s + x, 0);
  const epochPart = around.reduce((s, p) => s + p.excessSeconds, 0);
  const switches = defined(ordinary.map((f) => f.firstHashMs));
  const periodFirstHash = defined(firsts.filter((i) => i !== epochIndex).map((i) => figures[i]!.firstHashMs));
  const mainnetLoss = perJob / MAINNET_BLOCK_SECONDS
    + (Number.isNaN(periodCost) ? 0 : periodCost) / (PROGPOW_PERIOD * MAINNET_BLOCK_SECONDS)
    + (epochCost ?? 0) / (EPOCH_LENGTH * MAINNET_BLOCK_SECONDS);
  const nullable = (x: number, digits?: number) => (Number.isFinite(x) ? round(x, digits) : null);
  return {
    seconds: round(seconds, 1),
    jobs: figures.length,
    currentHashes: Math.round(currentHashes),
    effectiveRate: Math.round(currentHashes / seconds),
    steadyRate: Math.round(steadyHashes / seconds),
    /** Hashes of current work over the hashes the steady rate would have made. */
    effectiveOverSteady: round(currentHashes / steadyHashes, 4),
    jobSwitch: {
      count: switches.length,
      medianMs: nullable(median(switches), 1),
      maxMs: nullable(Math.max(...switches), 1),
      deficitMedianMs: nullable(perJob * 1000, 1),
      neverHashed: figures.filter((f) => f.currentHashes === 0).length,
    },
    periodChange: {
      count: firsts.length,
      medianSeconds: nullable(periodCost),
      maxSeconds: nullable(Math.max(...plain)),
      firstHashMedianMs: nullable(median(periodFirstHash), 1),
      periods,
    },
    epochChange: {
      count: epochIndex >= 0 ? 1 : 0,
      costSeconds: epochCost === null ? null : round(epochCost),
      firstHashMs: epochIndex >= 0 ? nullable(figures[epochIndex]!.firstHashMs ?? NaN, 1) : null,
    },
    /** Where the gap to steady went: jobs × the median job deficit, the excess of ordinary periods and of the two around the epoch change, the rest (partial periods). */
    deficitSeconds: {
      total: round(totalDeficit),
      jobSwitches: round(jobPart),
      periodChanges: round(periodPart),
      epochChange: round(epochPart),
      rest: round(totalDeficit - jobPart - periodPart - epochPart),
    },
    /** The same per-event costs at mainnet's pace: a job every 13 s, a period every 50 blocks, an epoch every 30,000. */
    mainnetProjection: { blockSeconds: MAINNET_BLOCK_SECONDS, effectiveOverSteady: round(1 - mainnetLoss, 4) },
  };
}

export type SustainedFigures = ReturnType<typeof sustainedFigures>;

/** The pool's side: accepted shares × share difficulty per second, with the Poisson error of the count. */
export function poolSideFigures(accepted: number, shareDifficulty: number, seconds: number, effectiveRate: number) {
  const rate = (accepted * shareDifficulty) / seconds;
  const error = (Math.sqrt(accepted) * shareDifficulty) / seconds;
  return {
    acceptedShares: accepted,
    shareDifficulty,
    rate: Math.round(rate),
    error: Math.round(error),
    overEffective: round(rate / effectiveRate, 4),
    withinErrorOfEffective: Math.abs(rate - effectiveRate) <= error,
  };
}

/**
 * The same comparison per CPU second of the miner's process, which other processes' load
 * changes much less than wall time: the run's hashes of current work over its CPU seconds (the
 * windows' taken out) against the steady windows' median. What it cannot see is time the miner
 * spent idle, which jobSwitch's first-hash latency shows.
 */
export function perCpuFigures(currentHashes: number, runCpuSeconds: number, steady: readonly SteadyWindow[]) {
  const inRun = steady.reduce((sum, w) => sum + (w.cpuSeconds ?? 0), 0);
  const effective = currentHashes / (runCpuSeconds - inRun);
  const steadyPerCpu = median(steady.map((w) => w.perCpuSecond).filter((x): x is number => x !== undefined && Number.isFinite(x)));
  return { effective: Math.round(effective), steady: Math.round(steadyPerCpu), overSteady: round(effective / steadyPerCpu, 4) };
}
