// A whole mining session assembled from its parts: pools, devices, ledger, block tracker and
// (optionally) a node watcher. The `mine` command and the end-to-end tests both run this.
import type { SearchBackend } from '../backends/backend.js';
import type { DagMode } from '../pow/epoch.js';
import { meetsTarget } from '../pow/target.js';
import { PoolManager, type PoolManagerOptions } from '../net/pool-manager.js';
import type { PoolUri } from '../net/uri.js';
import type { Logger } from '../util/log.js';
import type { ProfileName } from '../chain/profile.js';
import { Ledger } from './reward-ledger.js';
import { BlockTracker } from './block-tracker.js';
import { confirmationRule } from './confirmation-rule.js';
import { Miner, type MinerOptions } from './miner.js';
import { NodeVoteWatcher, httpRpc } from './node-vote-watcher.js';

export interface MiningSessionOptions {
  pools: PoolUri[];
  backends: SearchBackend[];
  dagMode: DagMode;
  /** The ledger lives here (ledger.jsonl), unless `ledger` is given. */
  datadir?: string;
  /** An open ledger to keep instead (the browser page's, journaled in IndexedDB). */
  ledger?: Ledger;
  profile: ProfileName;
  /** Node JSON-RPC URL that found blocks are followed on (needed to settle blocks after a restart). */
  nodeUrl?: string;
  nodePollMs?: number;
  logger: Logger;
  /** Pool manager tuning (timeouts, backoff), mostly for tests. */
  poolOptions?: Partial<Omit<PoolManagerOptions, 'pools' | 'logger'>>;
  batchMs?: number;
  /** Several devices: how each reopens its backend on a restart, and how DAG builds are staged. */
  devices?: Pick<MinerOptions, 'reopen' | 'dagStage'>;
}

export interface MiningSession {
  readonly miner: Miner;
  readonly pools: PoolManager;
  readonly ledger: Ledger;
  readonly tracker: BlockTracker;
  /** Stops mining, waits for submissions in flight, and closes the ledger. */
  stop(): Promise<void>;
}

export function startMiningSession(o: MiningSessionOptions): MiningSession {
  if (!o.ledger && o.datadir === undefined) throw new Error('a mining session needs a datadir or a ledger');
  const ledger = o.ledger ?? new Ledger(o.datadir!);
  const tracker = new BlockTracker(ledger, confirmationRule(o.profile));
  let miner: Miner | undefined;
  const pools = new PoolManager({
    ...o.poolOptions,
    pools: o.pools,
    logger: o.logger,
    client: { ...o.poolOptions?.client, hashrate: () => Math.round(miner?.hashrate ?? 0) },
  });
  const solo = o.pools.every((u) => u.scheme === 'http');
  miner = new Miner({
    source: pools,
    backends: o.backends,
    dagMode: o.dagMode,
    tracker,
    // getwork against a node hands out the block target itself; a pool says so with a notice
    isBlockCandidate: (work, solution) => solo && meetsTarget(solution.finalHash, work.target),
    batchMs: o.batchMs,
    ...o.devices,
  });
  const watcher = o.nodeUrl
    ? new NodeVoteWatcher({ rpc: httpRpc(o.nodeUrl), ledger, tracker, pollMs: o.nodePollMs, log: o.logger })
    : undefined;
  tracker.start();
  watcher?.start();
  pools.start();
  miner.start();
  const m = miner;
  return {
    miner: m, pools, ledger, tracker,
    async stop() {
      await m.stop();
      pools.stop();
      watcher?.stop();
      tracker.stop();
      ledger.close();
    },
  };
}
