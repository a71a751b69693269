// Mine mode: on the visitor's click, the same mining session as `sero-miner mine` (pool
// manager, search loop, block tracker, ledger) runs against the given stratum1+ws(s) pools
// over the browser's WebSocket. Shares, blocks, their votes and the credit show as they come;
// the ledger is journaled in IndexedDB, so it is there again after a reload.
import type { SearchBackend } from '../../backends/backend.js';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backends/select.js';
import { DEFAULT_PROFILE, isProfileName, type ProfileName } from '../../chain/profile.js';
import { chainIdOf } from '../../miner/ledger-chains.js';
import { Ledger, type LedgerRecord } from '../../miner/reward-ledger.js';
import { startMiningSession, type MiningSession } from '../../miner/session.js';
import { formatHashrate } from '../../miner/status-line.js';
import { describePoolUri, type PoolUri } from '../../net/wire/uri.js';
import type { DagMode } from '../../pow/epoch.js';
import { formatNonce } from '../../util/hex.js';
import type { Logger } from '../../util/log.js';
import { IdbJournal } from './idb-journal.js';
import { parseBrowserPools, type PageConfig } from './page-config.js';
import type { Activity } from './activity.js';
import { abandonBackend } from './backends.js';
import { byId, showNotice } from './dom.js';
import type { PageEnvironment } from './environment.js';
import { LEDGER_DATABASE, renderLedger, showSavedLedger } from './ledger-view.js';
import type { Settings } from './settings.js';

/** Held by the tab that mines, so two tabs never mine into one ledger at once. */
const MINING_LOCK = 'sero-miner-mining';

interface Running {
  readonly session: MiningSession;
  readonly backend: SearchBackend;
  readonly journal: IdbJournal<LedgerRecord>;
  readonly timer: ReturnType<typeof setInterval>;
  readonly releaseLock: () => void;
  height?: number;
  pool?: PoolUri;
  stopping: boolean;
}

/** Takes the mining lock when no other tab holds it; resolves to its release, or undefined. */
async function takeMiningLock(): Promise<(() => void) | undefined> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return () => {};
  return new Promise((resolve) => {
    void locks.request(MINING_LOCK, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(undefined);
        return undefined;
      }
      return new Promise<void>((release) => resolve(release));
    });
  });
}

export class MineMode {
  private readonly pools = byId<HTMLTextAreaElement>('mine-pools');
  private readonly backendChoice = byId<HTMLSelectElement>('mine-backend');
  private readonly dag = byId<HTMLSelectElement>('mine-dag');
  private readonly profile = byId<HTMLSelectElement>('mine-profile');
  private readonly startButton = byId<HTMLButtonElement>('mine-start');
  private readonly stopButton = byId<HTMLButtonElement>('mine-stop');
  private readonly status = byId('mine-status');
  private readonly dagBar = byId('mine-dag-progress');
  private running: Running | undefined;
  private starting: AbortController | undefined;
  private paused = false;
  /** Pausing and resuming take turns, so a quick hide-and-show never starts the search twice. */
  private visibilityTurn: Promise<void> = Promise.resolve();

  constructor(
    env: PageEnvironment,
    private readonly settings: Settings,
    private readonly activity: Activity,
    private readonly log: Logger,
    config: PageConfig,
  ) {
    this.pools.value = config.pools.join('\n');
    this.dag.value = config.dag ?? 'full';
    this.profile.value = config.profile ?? DEFAULT_PROFILE;
    if ('problem' in env.webgpu) (this.backendChoice.querySelector('option[value="webgpu"]') as HTMLOptionElement).disabled = true;
    this.startButton.addEventListener('click', () => void this.start());
    this.stopButton.addEventListener('click', () => void this.stop('stopped'));
    activity.onChange((holder) => {
      this.startButton.disabled = holder !== undefined;
      this.stopButton.disabled = holder !== 'mining';
    });
    void showSavedLedger(log, () => this.currentChain());
  }

  get active(): boolean {
    return this.running !== undefined || this.starting !== undefined;
  }

  private get rules(): ProfileName {
    return isProfileName(this.profile.value) ? this.profile.value : DEFAULT_PROFILE;
  }

  /** The chain whose figures the tiles show: the one being mined, else the first pool given (no node tells the page a chain). */
  private currentChain(running = this.running): string | undefined {
    if (running) return chainIdOf(running.session.origin());
    try {
      const [first] = parseBrowserPools(this.pools.value.split(/\s+/));
      return first === undefined ? undefined : chainIdOf({ pool: describePoolUri(first) });
    } catch {
      return undefined;
    }
  }

  async start(): Promise<void> {
    let pools: PoolUri[];
    try {
      pools = parseBrowserPools(this.pools.value.split(/\s+/));
    } catch (error) {
      this.status.textContent = (error as Error).message;
      return;
    }
    if (!this.activity.claim('mining')) return;
    const starting = new AbortController();
    this.starting = starting;
    this.paused = false;
    this.status.textContent = 'starting…';
    let releaseLock: (() => void) | undefined;
    let backend: SearchBackend | undefined;
    let journal: IdbJournal<LedgerRecord> | undefined;
    try {
      releaseLock = await takeMiningLock();
      if (!releaseLock) throw new Error('another tab of this page is mining already: stop it there first');
      journal = await IdbJournal.open<LedgerRecord>(LEDGER_DATABASE);
      const choice = (BACKEND_CHOICES as readonly string[]).includes(this.backendChoice.value) ? (this.backendChoice.value as BackendChoice) : 'auto';
      // why WebGPU is not used (missing, a software adapter, a DAG it cannot hold) replaces the WebGPU notice
      const backendLog: Logger = (level, message) => {
        if (level === 'warn') showNotice('webgpu', 'warn', `Mining: ${message}.`);
        this.log(level, message);
      };
      backend = await selectBackend({ backend: choice, wasm: this.settings.wasmOptions(this.log), webgpu: this.settings.webgpuOptions(this.log), log: backendLog });
      if (starting.signal.aborted) throw starting.signal.reason;
      byId('mine-device').textContent = backend.device;
      this.log('info', `mining on ${backend.device}; pools: ${pools.map(describePoolUri).join(', ')}`);
      const session = startMiningSession({
        pools,
        backends: [backend],
        dagMode: this.dag.value as DagMode,
        ledger: new Ledger(journal),
        profile: this.rules,
        logger: this.log,
      });
      const running: Running = { session, backend, journal, releaseLock, timer: setInterval(() => this.render(), 1000), stopping: false };
      this.running = running;
      this.wire(running);
      this.status.textContent = 'connecting…';
      this.render();
    } catch (error) {
      if (backend) void abandonBackend(backend);
      journal?.close();
      releaseLock?.();
      this.activity.release('mining');
      this.status.textContent = starting.signal.aborted ? 'stopped' : `cannot start: ${(error as Error).message}`;
      if (!starting.signal.aborted) this.log('error', `cannot start mining: ${(error as Error).message}`);
    } finally {
      this.starting = undefined;
    }
  }

  /** Stops hashing at once; the session then waits for shares in flight and closes the ledger. */
  async stop(why: string): Promise<void> {
    this.starting?.abort(new Error(why));
    const running = this.running;
    if (!running || running.stopping) return;
    running.stopping = true;
    this.status.textContent = `${why}: finishing…`;
    this.dagBar.hidden = true;
    const abandoned = abandonBackend(running.backend);
    await running.session.stop();
    await running.journal.flush().catch((error: Error) => this.log('error', error.message));
    await abandoned;
    clearInterval(running.timer);
    running.releaseLock();
    this.running = undefined;
    this.paused = false;
    this.render(running);
    byId('mine-hashrate').textContent = '–';
    byId('mine-pool').textContent = 'not connected';
    this.status.textContent = why;
    this.log('info', `mining ${why}`);
    this.activity.release('mining');
  }

  /** The tab went to the background: hashing pauses (the pool connection stays). */
  pause(): Promise<void> {
    return (this.visibilityTurn = this.visibilityTurn.then(async () => {
      const running = this.running;
      if (!running || running.stopping || this.paused) return;
      this.paused = true;
      this.status.textContent = 'paused: this tab is in the background';
      this.log('info', 'paused: the tab is in the background');
      await running.session.rig.stop();
    }));
  }

  resume(): Promise<void> {
    return (this.visibilityTurn = this.visibilityTurn.then(() => {
      const running = this.running;
      if (!running || running.stopping || !this.paused) return;
      this.paused = false;
      this.status.textContent = 'mining';
      this.log('info', 'resumed: the tab is visible again');
      running.session.rig.start();
    }));
  }

  private wire(running: Running): void {
    const { session } = running;
    const { rig, tracker, pools } = session;
    pools.on('connected', (pool) => {
      running.pool = pool;
      if (!this.paused) this.status.textContent = 'mining';
    });
    pools.on('disconnected', (_pool, reason) => {
      running.pool = undefined;
      if (!running.stopping) this.status.textContent = `disconnected (${reason}): reconnecting…`;
    });
    rig.on('work', (work) => {
      running.height = work.height;
    });
    rig.on('dagStart', (spec) => {
      this.dagBar.hidden = false;
      this.setDagProgress(0, `building the ${spec.mode} DAG of epoch ${spec.epoch}…`);
    });
    rig.on('dagProgress', (spec, p) => {
      const fraction = p.total > 0 ? p.done / p.total : 0;
      this.setDagProgress(fraction, `building the ${spec.mode} DAG of epoch ${spec.epoch}: ${Math.floor(fraction * 100)}%`);
    });
    rig.on('dagReady', (spec, seconds) => {
      this.dagBar.hidden = true;
      this.log('info', `DAG of epoch ${spec.epoch} ready in ${seconds.toFixed(1)} s`);
    });
    rig.on('share', (share) => {
      const nonce = formatNonce(share.nonce);
      // the Shares tile counts them all; the log names the first and every one not accepted
      if (share.status !== 'accepted') this.log('warn', `share ${nonce} ${share.status}${share.message ? `: ${share.message}` : ''}`);
      else if (rig.shares.accepted === 1) this.log('info', `first share accepted (${share.latencyMs} ms)`);
      this.render();
    });
    rig.on('error', (error) => {
      if (!running.stopping) this.log('error', error.message);
    });
    // the session logs each change of a block; the page redraws
    for (const event of ['pending', 'vote', 'confirmed', 'orphaned'] as const) tracker.on(event, () => this.render());
  }

  private setDagProgress(fraction: number, label: string): void {
    (this.dagBar.querySelector('.bar') as HTMLElement).style.width = `${Math.round(fraction * 100)}%`;
    this.dagBar.querySelector('.label')!.textContent = label;
  }

  private render(running = this.running): void {
    if (!running) return;
    const { rig, ledger } = running.session;
    const { accepted, stale, rejected } = rig.shares;
    byId('mine-hashrate').textContent = this.paused ? 'paused' : formatHashrate(rig.hashrate);
    byId('mine-device').textContent = running.backend.device;
    byId('mine-shares').textContent = `${accepted} · ${stale} · ${rejected}`;
    byId('mine-height').textContent = running.height === undefined ? '–' : running.height.toLocaleString('en-US');
    byId('mine-pool').textContent = running.pool ? describePoolUri(running.pool) : 'connecting…';
    renderLedger(ledger, this.currentChain(running));
  }
}
