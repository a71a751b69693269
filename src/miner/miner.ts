// One mining session: a work source (pool manager or getwork client), one search loop per
// device, share accounting as serominer shows it, and the block tracker for candidates.
import { EventEmitter } from 'node:events';
import type { SearchBackend, Solution } from '../backends/backend.js';
import type { DagMode, DagSpec } from '../pow/epoch.js';
import type { DagProgress } from '../backends/backend.js';
import type { ShareResult, ShareSubmission } from '../net/pool-client.js';
import type { CandidateNotice, OutcomeNotice, VoteNotice } from '../net/vote-extension.js';
import type { WorkPackage } from '../net/work.js';
import { bytesToHex } from '../util/hex.js';
import type { DagStage } from './search-loop.js';
import { HashrateMeter } from './hashrate-meter.js';
import { MiningDevice } from './device.js';
import { randomScrambler, segmentOf } from './nonce-segments.js';
import { voteKeys, type BlockTracker } from './block-tracker.js';

/** What the miner needs from the pool side, whatever the protocol. */
export interface WorkSource {
  on(event: 'work', listener: (work: WorkPackage) => void): unknown;
  on(event: 'share', listener: (result: ShareResult) => void): unknown;
  on(event: 'candidate', listener: (notice: CandidateNotice) => void): unknown;
  on(event: 'vote', listener: (notice: VoteNotice) => void): unknown;
  on(event: 'outcome', listener: (notice: OutcomeNotice) => void): unknown;
  submit(share: ShareSubmission): Promise<ShareResult>;
}

export interface ShareCounts {
  accepted: number;
  stale: number;
  rejected: number;
  /** Found but never answered (no connection). */
  dropped: number;
}

export interface MinerEvents {
  work: [work: WorkPackage];
  share: [result: ShareResult];
  dagStart: [spec: DagSpec, device: number];
  dagProgress: [spec: DagSpec, progress: DagProgress, device: number];
  dagReady: [spec: DagSpec, seconds: number, device: number];
  error: [err: Error];
}

export interface MinerOptions {
  source: WorkSource;
  backends: SearchBackend[];
  dagMode: DagMode;
  tracker: BlockTracker;
  /**
   * Decides which accepted shares are block candidates. Solo mining (getwork to a node):
   * every one. Pool mining: none, until the pool's vote notices say so.
   */
  isBlockCandidate(work: WorkPackage, solution: Solution): boolean;
  batchMs?: number;
  /** Opens device i's backend afresh when it is restarted (watchdog, miner_restart). */
  reopen?: (deviceIndex: number) => Promise<SearchBackend>;
  /** Where the devices' DAG builds wait their turn (default: all at once). */
  dagStage?: DagStage;
}

export class Miner extends EventEmitter<MinerEvents> {
  readonly shares: ShareCounts = { accepted: 0, stale: 0, rejected: 0, dropped: 0 };
  readonly meter = new HashrateMeter();
  readonly devices: readonly MiningDevice[];
  /** The rig's random start: device i searches the segment at scrambler + i·2^40. */
  private scramblerValue = randomScrambler();
  private work: WorkPackage | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Mix digests of recent submissions, so a pool's vote notice can be matched to its block. */
  private readonly recentMix = new Map<string, Uint8Array>();
  /** Per block, the pool's vote notices so far: share id by the notice's running count. */
  private readonly poolVotes = new Map<string, Map<number, string>>();

  constructor(private readonly options: MinerOptions) {
    super();
    this.devices = options.backends.map((backend, index) => {
      const reopen = options.reopen;
      const device = new MiningDevice({
        index, backend, dagMode: options.dagMode, dagStage: options.dagStage, batchMs: options.batchMs,
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
    const { source, tracker } = options;
    source.on('work', (work) => {
      this.work = work;
      this.emit('work', work);
      this.dispatch(work);
    });
    const candidate = (n: CandidateNotice | VoteNotice | OutcomeNotice) => tracker.submitted({
      height: n.height, nonce: n.nonce, headerHash: n.headerHash, mixDigest: this.recentMix.get(`${n.height}:${n.nonce}`) ?? new Uint8Array(32),
      ...('reward' in n ? { reward: n.reward, windowMs: n.windowMs } : {}),
    });
    source.on('candidate', candidate);
    source.on('vote', (n) => {
      candidate(n);
      const key = this.poolVoteKey(n);
      if (key) tracker.vote(n.height, n.nonce, key);
    });
    source.on('outcome', (n) => {
      candidate(n);
      this.poolVotes.delete(`${n.height}:${n.nonce}`);
      if (n.status === 'confirmed') tracker.confirm(n.height, n.nonce);
      else tracker.orphan(n.height, n.nonce, n.reason ?? 'orphaned by the pool');
    });
  }

  get hashrate(): number {
    return this.meter.rate();
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

  /** The ledger key of a pool's vote notice; undefined for a repeated notice. */
  private poolVoteKey(n: VoteNotice): string | undefined {
    const block = `${n.height}:${n.nonce}`;
    let notices = this.poolVotes.get(block);
    if (!notices) {
      notices = new Map();
      this.poolVotes.set(block, notices);
      if (this.poolVotes.size > 256) this.poolVotes.delete(this.poolVotes.keys().next().value!);
    }
    if (notices.has(n.votes)) return undefined;
    notices.set(n.votes, bytesToHex(n.shareId));
    return voteKeys([...notices.values()]).at(-1);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async submit(work: WorkPackage, solution: Solution, device: number): Promise<void> {
    const candidate = this.options.isBlockCandidate(work, solution);
    this.recentMix.set(`${work.height}:${solution.nonce}`, solution.mixDigest);
    if (this.recentMix.size > 1024) this.recentMix.delete(this.recentMix.keys().next().value!);
    const result = await this.options.source.submit({ work, nonce: solution.nonce, mixDigest: solution.mixDigest, device });
    this.shares[result.status]++;
    this.devices[device]?.countShare(result);
    this.emit('share', result);
    if (candidate && result.status === 'accepted') {
      this.options.tracker.submitted({ height: work.height, nonce: solution.nonce, headerHash: work.headerHash, mixDigest: solution.mixDigest });
    }
  }

  /** Stops the devices, then waits for submissions in flight so nothing found is lost. */
  async stop(): Promise<void> {
    await Promise.all(this.devices.map((d) => d.stop()));
    await Promise.allSettled([...this.inFlight]);
  }
}
