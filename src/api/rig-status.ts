// What the rig looks like right now, in one JSON-ready snapshot: devices, shares, pool, work,
// found blocks with their votes and credit (the chain being mined, and every chain of the ledger
// apart), the ledger's health, and a hashrate history for the dashboard's chart.
// The API methods, /api/status, the dashboard's live feed and /metrics all read this one shape.
import { hostname } from 'node:os';
import type { MiningSession } from '../miner/session.js';
import type { LedgerBlock } from '../miner/reward-ledger.js';
import { chainIdOf, chainLabel, totalsOf, UNKNOWN_CHAIN } from '../miner/ledger-chains.js';
import { describePoolUri } from '../net/wire/uri.js';
import { epochOf } from '../pow/epoch.js';
import { MAX_TARGET } from '../pow/target.js';
import { formatSero } from '../util/sero-amount.js';
import { NAME_WITH_VERSION } from '../util/version.js';
import { segmentOf } from '../miner/nonce-segments.js';
import { sumShares, type ShareCounts } from '../miner/share-counts.js';
import { formatNonce } from '../util/hex.js';
import type { PauseReason } from '../miner/device.js';
import { UNKNOWN_READING, type SensorReading } from '../sensors/reading.js';
import type { ThermalLimits } from '../sensors/thermal-guard.js';

/** Shares as the API names them (serominer's accepted, rejected, failed), and apart those never sent. */
export type ShareTotals = ShareCounts;

export interface DeviceStatus {
  index: number;
  backend: string;
  name: string;
  hashrate: number;
  shares: ShareTotals;
  /** Seconds since this device's last share, when it found one. */
  lastShareAgo: number | null;
  paused: boolean;
  /** Why it is paused: miner_pausegpu (api), --tstop (heat); empty while it runs. */
  pausedFor: PauseReason[];
  state: string;
  /** Temperature °C, fan %, power W; null where unknown. */
  sensors: SensorReading;
  /** Its GPU's PCI address (0000:01:00.0); null for the CPU and adapters without a sensor. */
  pci: string | null;
  dag: { epoch: number; mode: string; progress: number; ready: boolean; seconds: number | null } | null;
  restarts: number;
  /** Its nonce segment: first nonce and one past the last (0x hex). */
  segment: [string, string];
}

export interface BlockStatus {
  height: number;
  nonce: string;
  headerHash: string;
  status: LedgerBlock['status'];
  /** The chain it counts on (its genesis hash, `pool:<address>`, or `unknown`). */
  chain: string;
  /** The pool it was found through (no password), when recorded. */
  pool: string | null;
  votes: number;
  /** What its rules need (seed 3, mainnet 2). */
  votesNeeded: number;
  /** SERO credited (0 unless confirmed), exact decimal. */
  credit: string;
  /** What a confirmation credits. */
  expectedCredit: string;
  submittedAt: number;
  settledAt: number | null;
  reason: string | null;
}

/** One chain's part of the ledger, never summed with another's. */
export interface ChainStatus {
  /** Its genesis hash, `pool:<address>` where no node said which chain, or `unknown` (records that carry neither). */
  id: string;
  /** Its genesis hash, when a node said it. */
  genesis: string | null;
  /** How the chain is named to the user. */
  label: string;
  pools: string[];
  pending: number;
  confirmed: number;
  orphaned: number;
  credit: string;
}

export interface PoolStatus {
  index: number;
  uri: string;
  active: boolean;
}

export interface RigStatus {
  version: string;
  host: string;
  uptime: number;
  hashrate: number;
  shares: ShareTotals;
  lastShareAgo: number | null;
  devices: DeviceStatus[];
  pool: {
    uri: string | null;
    connected: boolean;
    /** Times the active pool changed after the first connection. */
    failovers: number;
    /** Reply time of the last answered share, ms. */
    latencyMs: number | null;
    pools: PoolStatus[];
  };
  work: { height: number | null; epoch: number | null; difficulty: number | null; jobs: number; epochChanges: number };
  /** Counts and credit of the chain being mined (`chain`: its id, null before a pool or node says which); `chains`: every chain of the ledger. */
  blocks: { chain: string | null; pending: number; confirmed: number; orphaned: number; votesSeen: number; credit: string; chains: ChainStatus[]; recent: BlockStatus[] };
  /** Whether every ledger record is written; `unsaved` records are held and retried while not. */
  ledger: { ok: boolean; file: string; unsaved: number; error: string | null };
  scrambler: string;
  /** --tstop and --tstart, when given. */
  thermal: ThermalLimits | null;
}

/** What the rig's status reads of the sensors (SensorMonitor): each device's latest reading and bus address. */
export interface SensorSource {
  readonly readings: readonly SensorReading[];
  pciAddress(device: number): string | null;
}

/** serominer's words for pause reasons (miner_getstatdetail's pause_reason, the getstat1 page). */
const SEROMINER_PAUSE_WORDS: Readonly<Record<PauseReason, string>> = { api: 'Api request', heat: 'Overheating' };

export function pauseReasonText(reasons: readonly PauseReason[]): string | null {
  return reasons.length === 0 ? null : reasons.map((r) => SEROMINER_PAUSE_WORDS[r]).join('; ');
}

export interface HashrateSample {
  /** ms since epoch. */
  t: number;
  total: number;
  devices: number[];
}

export interface RigStatusOptions {
  session: MiningSession;
  /** Backend and name per device, in device order (default: the backend's own). */
  devices?: readonly { backend: string; name: string }[];
  /** Seconds between chart samples (default 2) and how many are kept (default 450: 15 min). */
  sampleSeconds?: number;
  samples?: number;
  /** Blocks listed in `recent` (newest first, default 20). */
  recentBlocks?: number;
  sensors?: SensorSource;
  thermal?: ThermalLimits;
}

export class RigStatusSource {
  readonly startedAt = Date.now();
  private readonly history: HashrateSample[] = [];
  private readonly timer: NodeJS.Timeout;
  private failovers = 0;
  private latencyMs: number | null = null;
  private jobs = 0;
  private epochChanges = 0;
  private lastEpoch: number | undefined;
  private height: number | null = null;
  private difficulty: number | null = null;
  private readonly sampleListeners = new Set<(sample: HashrateSample) => void>();

  constructor(private readonly options: RigStatusOptions) {
    const { pools, rig } = options.session;
    pools.on('switched', (from) => { if (from !== undefined) this.failovers++; });
    pools.on('work', (work) => {
      this.jobs++;
      this.height = work.height;
      this.difficulty = Number(MAX_TARGET / (work.target === 0n ? 1n : work.target));
      const epoch = epochOf(work.height);
      if (this.lastEpoch !== undefined && epoch !== this.lastEpoch) this.epochChanges++;
      this.lastEpoch = epoch;
    });
    rig.on('share', (r) => { if (r.status === 'accepted' || r.status === 'rejected' || r.status === 'stale') this.latencyMs = r.latencyMs; });
    const every = (options.sampleSeconds ?? 2) * 1000;
    this.timer = setInterval(() => this.sample(), every);
    this.timer.unref();
  }

  /** Called with each new chart sample (the dashboard's live feed). */
  onSample(listener: (sample: HashrateSample) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  hashrateHistory(): HashrateSample[] {
    return [...this.history];
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const { rig } = this.options.session;
    const point = { t: Date.now(), total: rig.hashrate, devices: rig.devices.map((d) => d.hashrate) };
    this.history.push(point);
    if (this.history.length > (this.options.samples ?? 450)) this.history.shift();
    for (const listener of this.sampleListeners) listener(point);
  }

  snapshot(): RigStatus {
    const { rig, pools, ledger } = this.options.session;
    const now = Date.now();
    const ago = (at: number | undefined) => (at === undefined ? null : Math.max(0, Math.round((now - at) / 1000)));
    const devices = rig.devices.map((d): DeviceStatus => {
      const described = this.options.devices?.[d.index];
      const segment = segmentOf(rig.scrambler, d.index);
      return {
        index: d.index,
        backend: described?.backend ?? d.backend.name,
        name: described?.name ?? d.backend.device,
        hashrate: d.hashrate,
        shares: apiShares(d.shares),
        lastShareAgo: ago(d.lastShareAt),
        paused: d.paused,
        pausedFor: d.pausedFor,
        state: d.phase,
        sensors: this.options.sensors?.readings[d.index] ?? UNKNOWN_READING,
        pci: this.options.sensors?.pciAddress(d.index) ?? null,
        dag: d.dag ? { epoch: d.dag.epoch, mode: d.dag.mode, progress: d.dag.total > 0 ? d.dag.done / d.dag.total : 0, ready: d.dag.ready, seconds: d.dag.seconds ?? null } : null,
        restarts: d.restarts,
        segment: [formatNonce(segment.start), formatNonce(segment.end)],
      };
    });
    const lastShares = rig.devices.map((d) => d.lastShareAt).filter((t): t is number => t !== undefined);
    const active = pools.activePool;
    const current = chainIdOf(this.options.session.origin()) ?? null;
    const blocks = ledger.list().filter((b) => (chainIdOf(b.origin) ?? UNKNOWN_CHAIN) === current);
    const totals = this.options.session.chainTotals();
    const health = ledger.health;
    const recent = ledger.list().sort((a, b) => a.submittedAt - b.submittedAt).slice(-(this.options.recentBlocks ?? 20)).reverse().map((b): BlockStatus => ({
      height: b.height,
      nonce: b.nonce,
      headerHash: b.headerHash,
      status: b.status,
      chain: chainIdOf(b.origin) ?? UNKNOWN_CHAIN,
      pool: b.origin.pool ?? null,
      votes: b.voters.length,
      votesNeeded: b.votesNeeded,
      credit: formatSero(b.credit),
      expectedCredit: formatSero(b.expectedCredit),
      submittedAt: b.submittedAt,
      settledAt: b.settledAt ?? null,
      reason: b.reason ?? null,
    }));
    return {
      version: NAME_WITH_VERSION,
      host: hostname(),
      uptime: Math.round((now - this.startedAt) / 1000),
      hashrate: rig.hashrate,
      shares: apiShares(rig.shares),
      lastShareAgo: lastShares.length ? ago(Math.max(...lastShares)) : null,
      devices,
      pool: {
        uri: active ? describePoolUri(active) : null,
        connected: active !== undefined,
        failovers: this.failovers,
        latencyMs: this.latencyMs,
        pools: pools.pools.map((uri, index) => ({ index, uri: describePoolUri(uri), active: uri === active })),
      },
      work: { height: this.height, epoch: this.height === null ? null : epochOf(this.height), difficulty: this.difficulty, jobs: this.jobs, epochChanges: this.epochChanges },
      blocks: {
        chain: current,
        pending: totals.pending, confirmed: totals.confirmed, orphaned: totals.orphaned,
        votesSeen: blocks.reduce((n, b) => n + b.voters.length, 0),
        credit: formatSero(totals.credit),
        chains: chainsOf(this.options.session, current),
        recent,
      },
      ledger: { ok: health.ok, file: health.file, unsaved: health.unsaved, error: health.error ?? null },
      scrambler: formatNonce(rig.scrambler),
      thermal: this.options.thermal ?? null,
    };
  }
}

/** Every chain of the ledger, the one being mined among them even before its first block. */
function chainsOf(session: MiningSession, current: string | null): ChainStatus[] {
  const chains = session.ledger.chains();
  const origin = session.origin();
  if (current !== null && !chains.some((c) => c.id === current)) {
    chains.unshift({ id: current, chain: origin.chain ?? null, pools: origin.pool === undefined ? [] : [origin.pool], profiles: origin.profile === undefined ? [] : [origin.profile], blocks: [], totals: totalsOf([]) });
  }
  return chains.map((c): ChainStatus => ({
    id: c.id, genesis: c.chain, label: chainLabel(c), pools: c.pools,
    pending: c.totals.pending, confirmed: c.totals.confirmed, orphaned: c.totals.orphaned, credit: formatSero(c.totals.credit),
  }));
}

/** A copy, so a snapshot does not change under its reader. */
function apiShares(counts: ShareCounts): ShareTotals {
  return sumShares([counts]);
}
