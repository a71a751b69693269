// A whole mining session assembled from its parts: pools, the rig and its devices, the ledger, the block tracker
// and its sources (the miner's own judgement of shares, the pool's notices, the node's chain).
// The ledger is open for writing before anything starts, and a node is asked which chain it is
// on before the first share, so every block is recorded with where it counts.
// The `mine` command and the end-to-end tests both run this.
import type { SearchBackend } from '../backends/backend.js';
import type { DagMode } from '../pow/epoch.js';
import { PoolManager, type PoolManagerOptions } from '../net/client/pool-manager.js';
import { describePoolUri, uriHost, type PoolUri } from '../net/wire/uri.js';
import type { Logger } from '../util/log.js';
import type { ProfileName } from '../chain/profile.js';
import { Ledger } from './reward-ledger.js';
import { BlockTracker } from './block-tracker.js';
import { chainIdOf, totalsOf, type BlockOrigin, type LedgerTotals } from './ledger-chains.js';
import { logBlocks, logLedgerHealth } from './ledger-log.js';
import { BlockFinder } from './block-finder.js';
import { confirmationRule } from './confirmation-rule.js';
import { Rig, type RigSettings } from './rig.js';
import { jobTarget, NodeWorkTarget } from './network-target.js';
import { NodeBlockSource, httpRpc } from './node-block-source.js';
import { PoolNoticeSource } from './pool-notice-source.js';

export interface MiningSessionOptions {
  pools: PoolUri[];
  backends: SearchBackend[];
  dagMode: DagMode;
  /** The ledger lives here (ledger.jsonl), unless `ledger` is given. */
  datadir?: string;
  /** An open ledger to keep instead: opened early to fail fast on a damaged journal, or the browser page's, journaled in IndexedDB. */
  ledger?: Ledger;
  profile: ProfileName;
  /**
   * Node JSON-RPC URL: it tells the network target (which shares are blocks) and settles found
   * blocks from its chain. Getwork pools are nodes themselves: the first one serves when this is absent.
   */
  nodeUrl?: string;
  nodePollMs?: number;
  logger: Logger;
  /** Pool manager tuning (timeouts, backoff), mostly for tests. */
  poolOptions?: Partial<Omit<PoolManagerOptions, 'pools' | 'logger'>>;
  batchMs?: number;
  /** Several devices: how each reopens its backend on a restart, how DAG builds are staged, how far ahead the next epoch's is built. */
  devices?: Pick<RigSettings, 'reopen' | 'dagStage' | 'dagAheadBlocks'>;
  /** The clock the ledger's times come from. */
  now?: () => number;
}

export interface MiningSession {
  readonly rig: Rig;
  readonly pools: PoolManager;
  readonly ledger: Ledger;
  readonly tracker: BlockTracker;
  /** Where a block found now is recorded: the active pool, the node's chain (once it said), the rules. */
  origin(): BlockOrigin;
  /** The ledger's figures for the chain being mined now (all zero before a pool or a node says which). */
  chainTotals(): LedgerTotals;
  /** Resolves once the pools and the rig have started (after the node said which chain it is on, or did not in time). */
  readonly started: Promise<void>;
  /** Stops mining, waits for submissions in flight, and closes the ledger. */
  stop(): Promise<void>;
}

export function startMiningSession(o: MiningSessionOptions): MiningSession {
  const log = o.logger;
  if (!o.ledger && o.datadir === undefined) throw new Error('a mining session needs a datadir or a ledger');
  const ledger = o.ledger ?? new Ledger(o.datadir!);
  // written before the first share is sent: a ledger that cannot be is found now, not at a block
  ledger.open();
  const rule = confirmationRule(o.profile);
  const getwork = o.pools.every((u) => u.scheme === 'http');
  const nodeUrl = o.nodeUrl ?? (getwork ? nodeUrlOf(o.pools[0]!) : undefined);
  const rpc = nodeUrl === undefined ? undefined : httpRpc(nodeUrl);
  let node: NodeBlockSource | undefined;
  let pools: PoolManager | undefined;
  /** The pool last connected to: what the session mined on, also while it reconnects and after it stopped. */
  let lastPool: PoolUri | undefined;
  const origin = (): BlockOrigin => {
    const active = pools?.activePool ?? lastPool;
    return { ...(active === undefined ? {} : { pool: describePoolUri(active) }), ...(node?.chain === undefined ? {} : { chain: node.chain }), profile: o.profile };
  };
  const tracker = new BlockTracker(ledger, rpc ? 'node' : 'pool', o.now, origin);
  logBlocks(tracker, log);
  logLedgerHealth(ledger, log);

  const dropped = ledger.droppedWarning(rpc !== undefined);
  if (dropped) log('warn', dropped);

  let rig: Rig | undefined;
  pools = new PoolManager({
    ...o.poolOptions,
    pools: o.pools,
    logger: log,
    client: { ...o.poolOptions?.client, hashrate: () => Math.round(rig?.hashrate ?? 0) },
  });
  pools.on('connected', (uri) => { lastPool = uri; });
  // the pools' block notices go to the tracker for as long as the pools live
  new PoolNoticeSource(pools, tracker.handle, rule);
  const finder = new BlockFinder({
    pool: pools,
    // getwork against a node hands out the block target itself; through a pool, the node tells it
    target: getwork ? jobTarget : rpc ? new NodeWorkTarget(rpc, log) : undefined,
    sink: tracker.handle, rule, activePool: () => origin().pool,
  });
  rig = new Rig({ source: finder, backends: o.backends, dagMode: o.dagMode, batchMs: o.batchMs, ...o.devices });
  node = rpc ? new NodeBlockSource({ rpc, ledger, sink: tracker.handle, pollMs: o.nodePollMs, log, identify: true }) : undefined;
  if (!node) warnUnfollowed(pools, ledger, log);

  const r = rig;
  const p = pools;
  let stopped = false;
  const started = (async () => {
    // which chain the node is on, so the first block found is recorded on it
    await node?.identify();
    if (stopped) return;
    ledger.restoreDroppedBlock({ expectedCredit: rule.powCredit(ledger.dropped?.height ?? 0), votesNeeded: rule.votesNeeded, origin: origin() }, (o.now ?? Date.now)());
    // Blocks left pending by an earlier run are checked against the node before anything else.
    void node?.start();
    p.start();
    r.start();
  })();
  let stopping: Promise<void> | undefined;
  return {
    rig: r, pools: p, ledger, tracker, origin, started,
    chainTotals: () => {
      const id = chainIdOf(origin());
      return totalsOf(id === undefined ? [] : ledger.list().filter((b) => chainIdOf(b.origin) === id));
    },
    stop: () => (stopping ??= (async () => {
      stopped = true;
      await started;
      await r.stop();
      p.stop();
      node?.stop();
      ledger.close();
    })()),
  };
}

/** Without a node, only a pool's vote notices follow a block: said once, at the first login without them. */
function warnUnfollowed(pools: PoolManager, ledger: Ledger, log: Logger): void {
  const waiting = ledger.pending().length;
  if (waiting > 0) log('warn', `${waiting} block(s) found earlier are still pending; give --node <url> to follow them to their votes`);
  const onConnected = (pool: PoolUri): void => {
    if (pools.voteNoticesEnabled) return;
    pools.off('connected', onConnected);
    log('warn', `${describePoolUri(pool)} sends no block-vote notices (sero-votes/1) and no --node is given: the miner cannot tell which shares are blocks nor follow them to their votes; give --node <url> of the node behind the pool`);
  };
  pools.on('connected', onConnected);
}

/** A getwork URI as the node's JSON-RPC URL (the same endpoint). */
function nodeUrlOf(uri: PoolUri): string {
  return `http://${uriHost(uri.host)}:${uri.port}${uri.path}`;
}
