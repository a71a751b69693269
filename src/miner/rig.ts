// The rig: its devices, each with its own search loop in its own segment of the nonce space, fed
// by one work source (the pool manager, through the block finder), and their shares counted as
// serominer shows them. Which shares are blocks, and what became of them, is the block sources'
// and the tracker's business (block-finder, block-tracker); the session (session.ts) puts it together.
import { EventEmitter } from 'node:events';
import type { SearchBackend, Solution } from '../backends/backend.js';
import type { DagMode, DagSpec } from '../pow/epoch.js';
import type { DagProgress } from '../backends/backend.js';
import type { ShareResult, ShareSubmission } from '../net/client/pool-client.js';
import type { WorkPackage } from '../net/wire/work.js';
import type { DagStage } from './search-loop.js';
import { HashrateMeter } from './hashrate-meter.js';
import { RigDevice } from './device.js';
import { sumShares, type ShareCounts } from './share-counts.js';
import { randomScrambler, segmentOf } from './nonce-segments.js';

/** What the miner needs from the pool side, whatever the protocol. */
export interface WorkSource {
  on(event: 'work', listener: (work: WorkPackage) => void): unknown;
  on(event: 'share', listener: (result: ShareResult) => void): unknown;
  submit(share: ShareSubmission): Promise<ShareResult>;
}

export interface RigEvents {
  work: [work: WorkPackage];
  share: [result: ShareResult];
  dagStart: [spec: DagSpec, device: number];
  dagProgress: [spec: DagSpec, progress: DagProgress, device: number];
  dagReady: [spec: DagSpec, seconds: number, device: number];
  error: [err: Error];
}

export interface RigSettings {
  source: WorkSource;
  backends: SearchBackend[];
  dagMode: DagMode;
  batchMs?: number;
  /** Opens device i's backend afresh when it is restarted (watchdog, miner_restart). */
  reopen?: (deviceIndex: number) => Promise<SearchBackend>;
  /** Where the devices' DAG builds wait their turn (default: all at once). */
  dagStage?: DagStage;
  /** Blocks before the next epoch at which each device's twin starts building its DAG (default one period; 0: at the epoch change). */
  dagAheadBlocks?: number;
}

export class Rig extends EventEmitter<RigEvents> {
  readonly meter = new HashrateMeter();
  readonly devices: readonly RigDevice[];
  /** The rig's random start: device i searches the segment at scrambler + i·2^40. */
  private scramblerValue = randomScrambler();
  private work: WorkPackage | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: RigSettings) {
    super();
    this.devices = options.backends.map((backend, index) => {
      const reopen = options.reopen;
      const device = new RigDevice({
        index, backend, dagMode: options.dagMode, dagStage: options.dagStage, batchMs: options.batchMs, dagAheadBlocks: options.dagAheadBlocks,
        reopen: reopen && (() => reopen(index)),
      });
      device.on('hashes', (n) => this.meter.add(n));
      device.on('solution', (work, solution) => this.track(this.submit(work, solution, index)));
      device.on('dagStart', (spec) => this.emit('dagStart', spec, index));
      device.on('dagProgress', (spec, p) => this.emit('dagProgress', spec, p, index));
      device.on('dagReady', (spec, s) => this.emit('dagReady', spec, s, index));
      device.on('error', (err) => this.emit('error', err));
      return device;
    });
    options.source.on('work', (work) => {
      this.work = work;
      this.emit('work', work);
      this.dispatch(work);
    });
  }

  get hashrate(): number {
    return this.meter.rate();
  }

  /** The rig's shares: the sum of its devices'. */
  get shares(): ShareCounts {
    return sumShares(this.devices.map((d) => d.shares));
  }

  start(): void {
    for (const device of this.devices) device.start();
  }

  get scrambler(): bigint {
    return this.scramblerValue;
  }

  /** miner_shuffle: a new random start for every device's segment, from the current job on. */
  shuffle(): void {
    this.scramblerValue = randomScrambler();
    if (this.work) this.dispatch(this.work);
  }

  /** Every device on the job, each in its own segment of the nonce space. */
  private dispatch(work: WorkPackage): void {
    for (const device of this.devices) device.setWork(work, segmentOf(this.scramblerValue, device.index).start);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async submit(work: WorkPackage, solution: Solution, device: number): Promise<void> {
    const result = await this.options.source.submit({ work, nonce: solution.nonce, mixDigest: solution.mixDigest, finalHash: solution.finalHash, device });
    this.devices[device]?.countShare(result);
    this.emit('share', result);
  }

  /** Stops the devices, then waits for submissions in flight so nothing found is lost. */
  async stop(): Promise<void> {
    await Promise.all(this.devices.map((d) => d.stop()));
    await Promise.allSettled([...this.inFlight]);
  }
}
