// Keeps the miner connected to one pool out of an ordered list: reconnects with exponential
// backoff, moves to the next pool after repeated failures or when a pool stops sending work,
// and goes back to the first pool as soon as it answers again. A session that dies young
// counts as a failure too, so a pool that drops every connection is not hammered.
import { EventEmitter } from 'node:events';
import { type Logger, stderrLogger } from '../../util/log.js';
import { type BackoffSettings, FailoverPlan } from './failover-plan.js';
import { listenTo, LoginRefusedError, type PoolClient, type PoolClientEvents, type ShareResult, type ShareSubmission } from './pool-client.js';
import { createPoolClient, type PoolClientSettings } from './pool-clients.js';
import { SearchedJobs } from './searched-jobs.js';
import { SubmitRateCap, type SubmitRateSettings } from './submit-rate-cap.js';
import { type PoolUri, describePoolUri, parsePoolUri } from '../wire/uri.js';
import type { WorkPackage } from '../wire/work.js';

export interface PoolManagerOptions {
  /** Ordered list: the first is the primary, the rest are failovers. */
  readonly pools: ReadonlyArray<string | PoolUri>;
  readonly logger?: Logger;
  readonly client?: PoolClientSettings;
  /** Replaces the default client construction (tests, other dialects). */
  readonly createClient?: (uri: PoolUri) => PoolClient;
  /** Consecutive failed attempts on one pool before moving to the next (default 3, as serominer). */
  readonly retriesPerPool?: number;
  readonly backoff?: BackoffSettings;
  /** A pool that sends no new job for this long counts as failed (default 180 s, serominer's --work-timeout). */
  readonly workTimeoutMs?: number;
  /** While on a failover pool, try the primary this often and return to it when it answers (default 60 s; 0 never returns). */
  readonly primaryRetryMs?: number;
  /** A session that ends sooner than this counts as a failed attempt and backs off (default 10 s). */
  readonly stableSessionMs?: number;
  /** Cap on share submissions (default 20 per second). */
  readonly submitRate?: SubmitRateSettings;
}

/** The active client's events, each with the pool it came from. */
type ForwardedEvents = { [E in Exclude<keyof PoolClientEvents, 'disconnected'>]: [...PoolClientEvents[E], pool: PoolUri] };

export interface PoolManagerEvents extends ForwardedEvents {
  connected: [pool: PoolUri];
  disconnected: [pool: PoolUri, reason: string];
  /** The active pool changed (failover, or return to the primary). */
  switched: [from: PoolUri | undefined, to: PoolUri];
  /** Every pool refused the login: nothing is left to try (ethminer exits then). */
  loginsRefused: [];
}

export class PoolManager extends EventEmitter<PoolManagerEvents> {
  readonly pools: readonly PoolUri[];
  /** The same list as `pools`; the API may add and remove pools while mining. */
  private readonly list: PoolUri[];
  private readonly log: Logger;
  private readonly workTimeoutMs: number;
  private readonly primaryRetryMs: number;
  private readonly stableSessionMs: number;
  private readonly rateCap: SubmitRateCap;
  /** Which pool the next attempt goes to, and when. */
  private readonly plan: FailoverPlan;
  private readonly jobs: SearchedJobs;
  private stopped = true;
  private active: PoolClient | undefined;
  private activeIndex = -1;
  private lastActiveIndex = -1;
  private activeGotWork = false;
  private connecting: PoolClient | undefined;
  private probe: PoolClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private workTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private sessionStartedAt = 0;
  private readonly detachers = new Map<PoolClient, () => void>();
  /** Pools that refused the login: passed over until asked for again (miner_setactiveconnection). */
  private readonly refused = new Set<PoolUri>();

  /** Throws PoolUriError for the first bad URI in the list. */
  constructor(private readonly options: PoolManagerOptions) {
    super();
    if (options.pools.length === 0) throw new Error('no pools configured');
    this.pools = this.list = options.pools.map((pool) => (typeof pool === 'string' ? parsePoolUri(pool) : pool));
    this.log = options.logger ?? stderrLogger;
    this.plan = new FailoverPlan(Math.max(1, options.retriesPerPool ?? 3), options.backoff);
    this.workTimeoutMs = options.workTimeoutMs ?? 180_000;
    this.primaryRetryMs = options.primaryRetryMs ?? 60_000;
    this.stableSessionMs = options.stableSessionMs ?? 10_000;
    this.rateCap = new SubmitRateCap(options.submitRate ?? {}, this.log);
    this.jobs = new SearchedJobs(this.rateCap, () => Number(options.client?.hashrate?.() ?? 0));
  }

  get activePool(): PoolUri | undefined {
    return this.active === undefined ? undefined : this.pools[this.activeIndex];
  }

  get currentWork(): WorkPackage | undefined {
    return this.active?.work;
  }

  /** Whether the active pool sends block-vote notices (sero-votes/1). */
  get voteNoticesEnabled(): boolean {
    return this.active?.voteNoticesEnabled === true;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.clearSessionTimers();
    for (const client of [this.active, this.connecting, this.probe]) if (client !== undefined) this.discard(client, 'miner stopping');
    this.active = this.connecting = this.probe = undefined;
    this.activeIndex = -1;
  }

  /** Sends a share to the active pool; one for another pool's job, or over the cap, is not sent. */
  async submit(share: ShareSubmission): Promise<ShareResult> {
    const unsent = this.jobs.unsent(share, this.activePool, this.pools[this.plan.index]!);
    if (unsent === undefined) return this.active!.submit(share);
    if (unsent.result.throttled !== true) this.log('warn', `share ${unsent.result.message}; not sent`);
    this.emit('share', unsent.result, unsent.pool);
    if (unsent.result.throttled === true) this.researchIfOutgrown();
    return unsent.result;
  }

  /** Appends a pool to the failover list (miner_addconnection). */
  addPool(pool: string | PoolUri): PoolUri {
    const uri = typeof pool === 'string' ? parsePoolUri(pool) : pool;
    this.list.push(uri);
    return uri;
  }

  /** Drops a pool from the list (miner_removeconnection); never the active one. */
  removePool(index: number): void {
    this.checkIndex(index);
    if (index === this.activeIndex) throw new Error('Cannot remove the active connection');
    if (this.list.length === 1) throw new Error('Cannot remove the only connection');
    const connectingHere = this.connecting !== undefined && index === this.plan.index;
    this.list.splice(index, 1);
    const shifted = (i: number) => (i > index ? i - 1 : i);
    if (this.activeIndex !== -1) this.activeIndex = shifted(this.activeIndex);
    this.lastActiveIndex = this.lastActiveIndex === index ? -1 : shifted(this.lastActiveIndex);
    this.plan.index = this.plan.index === index ? index % this.list.length : shifted(this.plan.index);
    // a probe always dials pool 0 and a pending attempt its pool: neither may adopt another
    if (index === 0 && this.probe !== undefined) {
      this.discard(this.probe, 'pool removed');
      this.probe = undefined;
      if (this.activeIndex > 0) this.scheduleProbe();
    }
    if (connectingHere) {
      this.discard(this.connecting!, 'pool removed');
      this.connecting = undefined;
      void this.attempt();
    }
  }

  /** Connects to this pool now (miner_setactiveconnection); nothing happens if it is the active one. */
  setActivePool(index: number): void {
    this.checkIndex(index);
    if (index === this.activeIndex || this.stopped) return;
    const previous = this.active;
    const previousUri = previous === undefined ? undefined : this.pools[this.activeIndex];
    for (const client of [this.connecting, this.probe]) if (client !== undefined) this.discard(client, 'switching pools on request');
    this.connecting = this.probe = undefined;
    if (previous !== undefined) {
      this.active = undefined;
      this.activeIndex = -1;
      this.clearSessionTimers();
      this.discard(previous, 'switching pools on request');
      this.emit('disconnected', previousUri!, 'switching pools on request');
    }
    clearTimeout(this.retryTimer);
    this.refused.delete(this.list[index]!);
    this.plan.startAt(index);
    void this.attempt();
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.list.length) throw new RangeError('Index out of bounds');
  }

  /** Hands the devices the job to search: the pool's, or a copy with a target the cap can bear. */
  private emitSearched(work: WorkPackage, uri: PoolUri): void {
    this.emit('work', this.jobs.toSearch(work, uri), uri);
  }

  /** Over the cap at a hashrate the searched target was not made for: search the job again, harder. */
  private researchIfOutgrown(): void {
    const again = this.jobs.outgrown(this.active?.work);
    if (again !== undefined) this.emitSearched(again, this.pools[this.activeIndex]!);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const uri = this.pools[this.plan.index]!;
    let client: PoolClient | undefined;
    try {
      client = this.makeClient(uri);
      this.connecting = client;
      await client.connect();
    } catch (err) {
      if (client !== undefined && this.connecting !== client) return;
      this.connecting = undefined;
      if (client !== undefined) this.discard(client, 'connect failed');
      const refused = err instanceof LoginRefusedError;
      if (refused) this.refused.add(uri);
      this.log('warn', refused ? (err as Error).message : `cannot connect to ${describePoolUri(uri)}: ${(err as Error).message}`);
      if (refused && this.list.every((pool) => this.refused.has(pool))) return void this.emit('loginsRefused');
      this.recordFailure();
      return;
    }
    if (this.connecting !== client || this.stopped) {
      this.discard(client, 'no longer needed');
      return;
    }
    this.connecting = undefined;
    // the list may have changed while connecting (pools added or removed through the API)
    this.adopt(client, this.list.indexOf(uri));
  }

  private makeClient(uri: PoolUri): PoolClient {
    return this.options.createClient?.(uri) ?? createPoolClient(uri, { logger: this.log, ...this.options.client });
  }

  private adopt(client: PoolClient, index: number): void {
    const uri = this.pools[index]!;
    this.active = client;
    this.activeIndex = index;
    this.activeGotWork = false;
    const onWork = (work: WorkPackage): void => {
      this.activeGotWork = true;
      this.armWorkTimer(client);
      this.emitSearched(work, uri);
    };
    this.detachers.set(client, listenTo(client, {
      work: onWork,
      share: (result) => void this.emit('share', result, uri),
      candidate: (notice) => void this.emit('candidate', notice, uri),
      vote: (notice) => void this.emit('vote', notice, uri),
      outcome: (notice) => void this.emit('outcome', notice, uri),
      disconnected: (reason) => this.endSession(client, reason, false),
    }));

    this.log('info', `connected to ${describePoolUri(uri)}`);
    this.emit('connected', uri);
    if (this.lastActiveIndex !== index) {
      const from = this.lastActiveIndex === -1 ? undefined : this.pools[this.lastActiveIndex];
      if (from !== undefined) this.log('info', `switched from ${describePoolUri(from)} to ${describePoolUri(uri)}`);
      this.emit('switched', from, uri);
      this.lastActiveIndex = index;
    }
    this.armWorkTimer(client);
    // The failure count is forgiven only once the session has proved stable.
    this.sessionStartedAt = Date.now();
    this.stableTimer = setTimeout(() => this.active === client && this.activeGotWork && this.plan.forgive(), this.stableSessionMs);
    if (index !== 0) this.scheduleProbe();
    // A getwork client already has its first job when connect() resolves.
    if (client.work !== undefined) onWork(client.work);
  }

  /** Ends the active session; `failed` when the pool misbehaved rather than just dropped us. */
  private endSession(client: PoolClient, reason: string, failed: boolean): void {
    if (client !== this.active) return;
    const uri = this.pools[this.activeIndex]!;
    const lived = Date.now() - this.sessionStartedAt;
    const healthy = this.activeGotWork && !failed && lived >= this.stableSessionMs;
    this.active = undefined;
    this.activeIndex = -1;
    this.clearSessionTimers();
    if (this.probe !== undefined) this.discard(this.probe, 'active pool lost');
    this.probe = undefined;
    this.discard(client, reason);
    this.log('warn', `lost ${describePoolUri(uri)}: ${reason}`);
    this.emit('disconnected', uri, reason);
    if (this.stopped) return;
    if (healthy) {
      // It was working a moment ago: reconnect to it at once (serominer does the same).
      void this.attempt();
    } else {
      if (this.activeGotWork && !failed) this.log('info', `the session lasted only ${lived} ms: backing off before the next attempt`);
      this.recordFailure();
    }
  }

  private recordFailure(): void {
    const from = this.plan.index;
    const delay = this.plan.failed(this.pools.length, (index) => this.refused.has(this.pools[index]!));
    if (this.plan.index !== from) this.log('info', `giving up on ${describePoolUri(this.pools[from]!)} for now; trying ${describePoolUri(this.pools[this.plan.index]!)}`);
    this.log('debug', `next connection attempt in ${Math.round(delay)} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.attempt(), delay);
  }

  private armWorkTimer(client: PoolClient): void {
    clearTimeout(this.workTimer);
    this.workTimer = setTimeout(() => this.endSession(client, `no new work for ${this.workTimeoutMs} ms`, true), this.workTimeoutMs);
  }

  private scheduleProbe(): void {
    if (this.primaryRetryMs <= 0 || this.pools.length < 2 || this.refused.has(this.pools[0]!)) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => void this.probePrimary(), this.primaryRetryMs);
  }

  private async probePrimary(): Promise<void> {
    if (this.stopped || this.active === undefined || this.activeIndex === 0) return;
    const client = this.makeClient(this.pools[0]!);
    this.probe = client;
    try {
      await client.connect();
    } catch (err) {
      if (this.probe !== client) return;
      this.probe = undefined;
      this.discard(client, 'probe failed');
      if (err instanceof LoginRefusedError) this.refused.add(this.pools[0]!);
      this.log(err instanceof LoginRefusedError ? 'warn' : 'debug', `primary pool still unavailable: ${(err as Error).message}`);
      this.scheduleProbe();
      return;
    }
    if (this.probe !== client || this.stopped || this.active === undefined) {
      this.discard(client, 'no longer needed');
      return;
    }
    this.probe = undefined;
    const previous = this.active;
    const previousUri = this.pools[this.activeIndex]!;
    this.active = undefined;
    this.clearSessionTimers();
    this.discard(previous, 'returning to the primary pool');
    this.emit('disconnected', previousUri, 'returning to the primary pool');
    this.plan.startAt(0);
    this.adopt(client, 0);
  }

  private clearSessionTimers(): void {
    clearTimeout(this.workTimer);
    clearTimeout(this.probeTimer);
    clearTimeout(this.stableTimer);
  }

  /** Detaches our listeners first so closing it cannot feed back into the state machine. */
  private discard(client: PoolClient, reason: string): void {
    this.detachers.get(client)?.();
    this.detachers.delete(client);
    client.close(reason);
  }
}
