// One device of the rig: its backend, its search loop over its own nonce segment, and what
// the status line, the API and the watchdog read of it (hashrate, shares, DAG, pause, failures).
// A restart closes the backend, opens it afresh and rebuilds the DAG on the current job. Near
// the end of an epoch a twin of the backend builds the next DAG, and the device moves to it
// with the new epoch's first job (dag-ahead.ts).
import { EventEmitter } from 'node:events';
import type { DagProgress, SearchBackend, Solution } from '../backends/backend.js';
import { isGpuFailure } from '../backends/webgpu/errors.js';
import type { DagMode, DagSpec } from '../pow/epoch.js';
import type { ShareResult } from '../net/client/pool-client.js';
import type { WorkPackage } from '../net/wire/work.js';
import { bytesEqual } from '../util/bytes.js';
import { HashrateMeter } from './hashrate-meter.js';
import { countShare, noShares, type ShareCounts } from './share-counts.js';
import { SearchLoop, type DagStage, type SearchLoopPhase } from './search-loop.js';
import { DAG_AHEAD_BLOCKS, DagAhead, type Standby } from './dag-ahead.js';

/** The DAG as this device has it: being built (done < total) or ready. */
export interface DeviceDagState {
  readonly epoch: number;
  readonly mode: DagMode;
  readonly done: number;
  readonly total: number;
  readonly ready: boolean;
  readonly seconds?: number;
}

export interface RigDeviceEvents {
  solution: [work: WorkPackage, solution: Solution];
  hashes: [count: number];
  range: [work: WorkPackage, start: bigint, count: number];
  dagStart: [spec: DagSpec];
  dagProgress: [spec: DagSpec, progress: DagProgress];
  dagReady: [spec: DagSpec, seconds: number];
  error: [err: Error];
  restarted: [reason: string];
}

/** Why a device is paused: miner_pausegpu, or --tstop. */
export type PauseReason = 'api' | 'heat';

export interface RigDeviceOptions {
  readonly index: number;
  readonly backend: SearchBackend;
  /** Opens the device's backend afresh for a restart; without it a restart reuses the backend. */
  readonly reopen?: () => Promise<SearchBackend>;
  readonly dagMode: DagMode;
  readonly dagStage?: DagStage;
  readonly batchMs?: number;
  /** Blocks before the next epoch at which its DAG starts building on a twin (default DAG_AHEAD_BLOCKS; 0: at the epoch change). */
  readonly dagAheadBlocks?: number;
}

export class RigDevice extends EventEmitter<RigDeviceEvents> {
  readonly index: number;
  readonly meter = new HashrateMeter();
  readonly shares: ShareCounts = noShares();
  /** When this device last found a share (ms since epoch). */
  lastShareAt: number | undefined;
  /** When this device last reported hashes (performance.now()). */
  lastHashesAt: number | undefined;
  dag: DeviceDagState | undefined;
  restarts = 0;
  /** The last GPU failure since the last (re)start: the watchdog treats the device as lost. */
  failure: Error | undefined;
  private readonly pauses = new Set<PauseReason>();
  private backendInUse: SearchBackend;
  private loop: SearchLoop;
  private running = false;
  private work: WorkPackage | undefined;
  private segmentStart: bigint | undefined;
  private restarting: Promise<void> | undefined;
  private stopped = false;
  private readonly ahead: DagAhead;
  /** The move to a twin whose DAG of the new epoch is being finished. */
  private moving: { readonly standby: Standby; readonly done: Promise<void> } | undefined;
  /** Backends left behind by a move, closing once their searches end. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: RigDeviceOptions) {
    super();
    this.index = options.index;
    this.backendInUse = options.backend;
    this.loop = this.makeLoop();
    this.ahead = new DagAhead({
      aheadBlocks: options.dagAheadBlocks ?? DAG_AHEAD_BLOCKS,
      dagMode: options.dagMode,
      dagStage: options.dagStage,
      onError: (err) => this.emit('error', err),
    });
  }

  get backend(): SearchBackend {
    return this.backendInUse;
  }

  get paused(): boolean {
    return this.pauses.size > 0;
  }

  /** Every reason the device is paused for, in a fixed order. */
  get pausedFor(): PauseReason[] {
    return (['api', 'heat'] as const).filter((r) => this.pauses.has(r));
  }

  get phase(): SearchLoopPhase | 'restarting' {
    return this.restarting ? 'restarting' : this.loop.phase;
  }

  get hashrate(): number {
    return this.meter.rate();
  }

  start(): void {
    this.running = true;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    await this.ahead.discard();
    if (this.moving) {
      await this.moving.standby.abort();
      await this.moving.done;
    }
    await this.restarting?.catch(() => undefined);
    await this.loop.stop();
    await Promise.all([...this.retiring]);
  }

  /** The next epoch's DAG on a twin: its epoch and whether it is built (undefined: none under way). */
  get dagAhead(): { readonly epoch: number; readonly ready: boolean } | undefined {
    return this.ahead.state;
  }

  /**
   * A job for the header already being searched in the same segment (the same work again, from
   * another pool of the same node after a switch) goes on where the search got to: the nonces
   * already searched would only be found again and reach the pool as duplicate shares.
   */
  setWork(work: WorkPackage, segmentStart: bigint): void {
    const same = this.work !== undefined && segmentStart === this.segmentStart && bytesEqual(work.headerHash, this.work.headerHash);
    this.work = work;
    this.segmentStart = segmentStart;
    const standby = this.ahead.claim(work.height);
    if (standby) this.moving = { standby, done: this.moveTo(standby) };
    if (!this.moving) this.loop.setWork(work, segmentStart, same ? this.loop.nonceCursor : 0n);
    this.ahead.consider(work.height, this.backendInUse);
  }

  /**
   * Moves to the twin that built the new epoch's DAG once it is ready, and gives it the job; the
   * old backend is closed once its searches end. Without a twin the job goes to the old one.
   */
  private async moveTo(standby: Standby): Promise<void> {
    // The old epoch's DAG cannot hash the new epoch's jobs.
    this.loop.clearWork();
    const twin = await standby.twin;
    await this.restarting?.catch(() => undefined);
    this.moving = undefined;
    if (twin && this.stopped) {
      await twin.close().catch(() => undefined);
      return;
    }
    if (twin) {
      this.retire(this.loop, this.backendInUse);
      this.backendInUse = twin;
      this.dag = undefined;
      this.loop = this.makeLoop();
      if (this.pauses.size > 0) this.loop.pause();
      if (this.running) this.loop.start();
    }
    if (this.work) this.loop.setWork(this.work, this.segmentStart);
  }

  private retire(loop: SearchLoop, backend: SearchBackend): void {
    const done = loop.stop().then(() => backend.close()).catch(() => undefined);
    this.retiring.add(done);
    void done.finally(() => this.retiring.delete(done));
  }

  /**
   * miner_pausegpu ('api') or --tstop ('heat'): stop hashing until resumed, keeping the job. Each
   * reason pauses on its own: the device hashes again once no reason holds it.
   */
  setPaused(paused: boolean, reason: PauseReason = 'api'): void {
    if (paused) this.pauses.add(reason);
    else this.pauses.delete(reason);
    if (this.pauses.size > 0) this.loop.pause();
    else this.loop.resume();
  }

  countShare(result: ShareResult): void {
    countShare(this.shares, result);
    this.lastShareAt = Date.now();
  }

  /** Closes the backend, opens it again, rebuilds the DAG and goes on with the current job. */
  restart(reason: string): Promise<void> {
    this.restarting ??= (async () => {
      await this.loop.stop();
      if (this.options.reopen) {
        await this.backendInUse.close().catch(() => undefined);
        try {
          this.backendInUse = await this.options.reopen();
        } catch (err) {
          // still lost: the watchdog sees it and tries again, or gives up
          this.failure = err as Error;
          throw err;
        }
      }
      this.restarts++;
      this.failure = undefined;
      this.dag = undefined;
      this.lastHashesAt = undefined;
      // the new loop goes on where the old one got to: nonces it hashed again would reach the
      // pool as duplicate shares, which pools count towards a ban
      const resumeAt = this.loop.nonceCursor;
      this.loop = this.makeLoop();
      if (this.work) this.loop.setWork(this.work, this.segmentStart, resumeAt);
      if (this.pauses.size > 0) this.loop.pause();
      if (this.running) this.loop.start();
      this.emit('restarted', reason);
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  private makeLoop(): SearchLoop {
    const loop = new SearchLoop({ backend: this.backendInUse, dagMode: this.options.dagMode, dagStage: this.options.dagStage, batchMs: this.options.batchMs });
    // a replaced loop may still report late results: its hashes and solutions count, its errors do not
    loop.on('hashes', (n) => {
      this.meter.add(n);
      this.lastHashesAt = performance.now();
      this.emit('hashes', n);
    });
    loop.on('range', (work, start, count) => this.emit('range', work, start, count));
    loop.on('solution', (work, solution) => this.emit('solution', work, solution));
    loop.on('dagStart', (spec) => {
      this.dag = { epoch: spec.epoch, mode: spec.mode, done: 0, total: 1, ready: false };
      this.emit('dagStart', spec);
    });
    loop.on('dagProgress', (spec, p) => {
      this.dag = { epoch: spec.epoch, mode: spec.mode, done: p.done, total: p.total, ready: false };
      this.emit('dagProgress', spec, p);
    });
    loop.on('dagReady', (spec, seconds) => {
      this.dag = { epoch: spec.epoch, mode: spec.mode, done: 1, total: 1, ready: true, seconds };
      this.emit('dagReady', spec, seconds);
    });
    loop.on('error', (err) => {
      if (loop !== this.loop) return;
      if (isGpuFailure(err)) this.failure = err;
      this.emit('error', err);
    });
    return loop;
  }
}
