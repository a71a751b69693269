// The mining loop of one device: keeps its backend on the newest job, walks that job's nonce
// space in batches, and hands every solution to the submitter. Two batches are always queued
// on the backend, so it starts the next the moment the running one stops. A new job aborts
// both and is queued at once, without waiting for the aborted batches to report: their
// results (solutions for the old job included) are delivered whenever they arrive.
import { EventEmitter } from 'node:events';
import type { DagProgress, SearchBackend, SearchResult, Solution } from '../backends/backend.js';
import { dagSpecForBlock, type DagMode, type DagSpec } from '../pow/epoch.js';
import type { WorkPackage } from '../net/wire/work.js';
import { randomScrambler, SEGMENT_SIZE } from './nonce-segments.js';

const U64 = 1n << 64n;
/** Searches queued on the backend at once: the running one and the next. */
const SEARCHES_AHEAD = 2;

/** A search handed to the backend. */
interface Issued {
  readonly work: WorkPackage;
  readonly issuedAt: number;
  readonly result: Promise<SearchResult>;
}

export interface SearchLoopEvents {
  dagStart: [spec: DagSpec];
  dagProgress: [spec: DagSpec, progress: DagProgress];
  dagReady: [spec: DagSpec, seconds: number];
  hashes: [count: number];
  /** A nonce range handed to the backend (what the rig's disjointness rests on). */
  range: [work: WorkPackage, start: bigint, count: number];
  solution: [work: WorkPackage, solution: Solution];
  error: [err: Error];
}

/** What the loop is doing: the watchdog only expects hashes while it is mining. */
export type SearchLoopPhase = 'idle' | 'dag' | 'mining' | 'paused';

/** Runs a DAG build when the rig allows it (several devices build one after another). */
export type DagStage = <T>(build: () => Promise<T>) => Promise<T>;

export interface SearchLoopOptions {
  backend: SearchBackend;
  dagMode: DagMode;
  /** Where DAG builds wait their turn (default: at once). */
  dagStage?: DagStage;
  /** Aim for batches of about this long, so hashrate and job switches stay responsive. */
  batchMs?: number;
  /** First batch size, before the loop has measured the backend. */
  initialBatch?: number;
}

export class SearchLoop extends EventEmitter<SearchLoopEvents> {
  private work: WorkPackage | undefined;
  private paused = false;
  private building = false;
  /** First nonce of this device's segment of the job. */
  private jobStart = 0n;
  private cursor = 0n;
  private batch: number;
  private readonly batchMs: number;
  private abort: AbortController | undefined;
  private preparedKey = '';
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  /** Aborted searches whose results have not arrived yet. */
  private readonly finishing = new Set<Promise<void>>();

  constructor(private readonly options: SearchLoopOptions) {
    super();
    this.batch = options.initialBatch ?? 256;
    this.batchMs = options.batchMs ?? 1000;
  }

  /**
   * Switch to a new job at once: the batch in flight is stopped. The loop searches the 2^40
   * nonces from segmentStart (default: a random one) and wraps around inside them; resumeAt
   * skips the nonces of the segment another loop already handed out for this job.
   */
  setWork(work: WorkPackage, segmentStart?: bigint, resumeAt = 0n): void {
    this.work = work;
    this.jobStart = segmentStart ?? randomScrambler();
    this.cursor = resumeAt % SEGMENT_SIZE;
    this.abort?.abort();
    this.wake?.();
  }

  /** Stop hashing but keep the job; resume() carries on with it. */
  pause(): void {
    this.paused = true;
    this.abort?.abort();
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  /** How far into its segment the job's search has got (nonces handed out so far). */
  get nonceCursor(): bigint {
    return this.cursor;
  }

  get phase(): SearchLoopPhase {
    if (this.paused) return 'paused';
    if (this.building) return 'dag';
    return this.work ? 'mining' : 'idle';
  }

  /** Stop mining until the next job (the pool went away). */
  clearWork(): void {
    this.work = undefined;
    this.abort?.abort();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.finishing]);
  }

  private async waitForWork(): Promise<void> {
    await new Promise<void>((resolve) => { this.wake = resolve; });
    this.wake = undefined;
  }

  private async ensureDag(work: WorkPackage): Promise<boolean> {
    const spec = dagSpecForBlock(work.height, this.options.dagMode);
    const key = `${spec.epoch}:${spec.mode}`;
    if (key === this.preparedKey) return true;
    const stage: DagStage = this.options.dagStage ?? ((build) => build());
    this.building = true;
    try {
      await stage(async () => {
        this.emit('dagStart', spec);
        const started = performance.now();
        await this.options.backend.prepare(spec, (p) => this.emit('dagProgress', spec, p));
        this.preparedKey = key;
        this.emit('dagReady', spec, (performance.now() - started) / 1000);
      });
    } finally {
      this.building = false;
    }
    return this.work === work;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const work = this.paused ? undefined : this.work;
      if (!work) {
        await this.waitForWork();
        continue;
      }
      try {
        if (!(await this.ensureDag(work))) continue;
        await this.mine(work);
      } catch (err) {
        this.emit('error', err as Error);
        // a failing backend must not spin: give it a moment before the next try
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Searches the job until it is replaced, cleared or the loop stops. */
  private async mine(work: WorkPackage): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const aborted = new Promise<undefined>((resolve) => abort.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const queue: Issued[] = [];
    let lastDone = performance.now();
    try {
      // `running` too: a stop() that came while the DAG was being built found no search to abort.
      while (!abort.signal.aborted && this.work === work && !this.paused && this.running) {
        while (queue.length < SEARCHES_AHEAD) queue.push(this.issue(work, abort.signal));
        const head = queue.shift()!;
        const result = await Promise.race([head.result, aborted]);
        if (!result) {
          queue.unshift(head);
          break;
        }
        this.deliver(head.work, result);
        const now = performance.now();
        // A queued search starts when the one before it ends, not when it was handed over.
        this.resize(result.hashes, now - Math.max(head.issuedAt, lastDone));
        lastDone = now;
      }
    } finally {
      abort.abort();
      for (const issued of queue) this.finishInBackground(issued);
    }
  }

  /** Hands the backend the next nonce range of the job, never past the end of the segment. */
  private issue(work: WorkPackage, signal: AbortSignal): Issued {
    const start = (this.jobStart + this.cursor) % U64;
    const count = Number(BigInt(this.batch) < SEGMENT_SIZE - this.cursor ? BigInt(this.batch) : SEGMENT_SIZE - this.cursor);
    this.cursor = (this.cursor + BigInt(count)) % SEGMENT_SIZE;
    const job = { headerHash: work.headerHash, height: work.height, target: work.target };
    this.emit('range', work, start, count);
    const result = this.options.backend.search(job, start, count, signal);
    // the queued search's failure is reported when its turn comes; a lost device fails both at once
    result.catch(() => undefined);
    return { work, issuedAt: performance.now(), result };
  }

  private deliver(work: WorkPackage, result: SearchResult): void {
    this.emit('hashes', result.hashes);
    for (const solution of result.solutions) this.emit('solution', work, solution);
  }

  /** An aborted search still reports what it hashed and found, whenever that arrives. */
  private finishInBackground(issued: Issued): void {
    const done = issued.result.then(
      (result) => this.deliver(issued.work, result),
      (err: Error) => {
        this.emit('error', err);
      },
    );
    this.finishing.add(done);
    void done.finally(() => this.finishing.delete(done));
  }

  /** Batches of about batchMs: larger ones waste less on dispatch, smaller ones react faster. */
  private resize(hashes: number, elapsedMs: number): void {
    const perMs = hashes / elapsedMs;
    const ideal = Math.max(16, Math.round(perMs * this.batchMs));
    this.batch = Math.round(Math.min(ideal, this.batch * 4));
  }
}
