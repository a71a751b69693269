// Everything the staking layer keeps between blocks, and its JSON snapshot.
import { profileFromJson, profileToJson, type ProfileJson, type StakeProfile } from '../../chain/profile.js';
import type { Hex } from '../../util/hex.js';
import { StakeLedger, type LedgerEntryJson } from './stake-ledger.js';
import { NodeVoteStats, type NodeVoteStatsJson } from './node-stats.js';
import { TicketTree } from './ticket-tree.js';
import type { BlockRecord, Share, StakingNode } from './types.js';

/** Everything the staking layer keeps between blocks. Rules live in the modules that take it. */
export class StakeState {
  /** Height the next block will have; the state is already prepared for it. */
  nextHeight: number;
  /** HashPos of block nextHeight − 1 (the parent hash every current vote signs). */
  parentPosHash: Hex;
  lastBlock: BlockRecord | null = null;
  readonly shares = new Map<Hex, Share>();
  readonly nodes = new Map<Hex, StakingNode>();
  readonly tree = new TicketTree();
  /** Share ids by purchase height, for insertion, expiry and write-off. */
  readonly sharesByHeight = new Map<number, Hex[]>();
  readonly sharesByOwner = new Map<string, Hex[]>();
  /** posHashes of lotteries at nextHeight already counted as expired (each counts once). */
  readonly expiredLotteries = new Set<Hex>();
  /** Share/node keys modified per height; settlement looks at those of one pay window ago. */
  readonly touched = new Map<number, Set<string>>();
  /** mainnet statistics: per height, `max(0, 3 − current − parent votes)`. */
  readonly missHistory = new Map<number, number>();
  /** Sum of missHistory over the statistics window (go-sero's missedNum). */
  missedVotes = 0;
  readonly nodeStats: NodeVoteStats;
  readonly ledger: StakeLedger;

  constructor(
    readonly profile: StakeProfile,
    nextHeight: number,
    parentPosHash: Hex,
    ledger = new StakeLedger(),
    nodeStats = new NodeVoteStats(),
  ) {
    this.nextHeight = nextHeight;
    this.parentPosHash = parentPosHash;
    this.ledger = ledger;
    this.nodeStats = nodeStats;
  }

  share(id: Hex): Share {
    const share = this.shares.get(id);
    if (!share) throw new Error(`unknown share ${id}`);
    return share;
  }

  node(id: Hex): StakingNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`unknown StakingNode ${id}`);
    return node;
  }

  addShare(share: Share): void {
    this.shares.set(share.id, share);
    appendTo(this.sharesByHeight, share.boughtAt, share.id);
    appendTo(this.sharesByOwner, share.owner, share.id);
  }

  sharesBoughtAt(height: number): Share[] {
    return (this.sharesByHeight.get(height) ?? []).map((id) => this.share(id));
  }

  sharesOwnedBy(owner: string): Share[] {
    return (this.sharesByOwner.get(owner) ?? []).map((id) => this.share(id));
  }

  touchShare(share: Share, height: number): void {
    this.touch(`share:${share.id}`, height);
  }

  touchNode(node: StakingNode, height: number): void {
    this.touch(`node:${node.id}`, height);
  }

  private touch(key: string, height: number): void {
    let keys = this.touched.get(height);
    if (!keys) this.touched.set(height, (keys = new Set()));
    keys.add(key);
  }

  toJson(): StakeSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      profile: profileToJson(this.profile),
      nextHeight: this.nextHeight,
      parentPosHash: this.parentPosHash,
      lastBlock: this.lastBlock,
      shares: [...this.shares.values()].map(shareToJson),
      nodes: [...this.nodes.values()].map(nodeToJson),
      tree: [...this.tree.entries()],
      touched: [...this.touched].map(([height, keys]) => [height, [...keys]]),
      missHistory: [...this.missHistory],
      missedVotes: this.missedVotes,
      expiredLotteries: [...this.expiredLotteries],
      nodeStats: this.nodeStats.toJson(),
      ledger: this.ledger.toJson(),
    };
  }

  static fromJson(snapshot: StakeSnapshot): StakeState {
    if (snapshot.format !== SNAPSHOT_FORMAT) throw new Error(`unsupported stake snapshot format "${snapshot.format}"`);
    const state = new StakeState(
      profileFromJson(snapshot.profile),
      snapshot.nextHeight,
      snapshot.parentPosHash,
      StakeLedger.fromJson(snapshot.ledger),
      NodeVoteStats.fromJson(snapshot.nodeStats),
    );
    state.lastBlock = snapshot.lastBlock;
    for (const share of snapshot.shares) state.addShare(shareFromJson(share));
    for (const node of snapshot.nodes) state.nodes.set(node.id, nodeFromJson(node));
    for (const [id, tickets] of snapshot.tree) state.tree.insert(id, tickets);
    for (const [height, keys] of snapshot.touched) state.touched.set(height, new Set(keys));
    for (const [height, missed] of snapshot.missHistory) state.missHistory.set(height, missed);
    state.missedVotes = snapshot.missedVotes;
    for (const posHash of snapshot.expiredLotteries ?? []) state.expiredLotteries.add(posHash);
    return state;
  }
}

function appendTo<K>(index: Map<K, Hex[]>, key: K, id: Hex): void {
  const ids = index.get(key);
  if (ids) ids.push(id);
  else index.set(key, [id]);
}

export const SNAPSHOT_FORMAT = 'sero-devnet-stake/1';

type Jsonified<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };
export type ShareJson = Jsonified<Share, 'price' | 'income' | 'profit'>;
export type StakingNodeJson = Jsonified<StakingNode, 'pledge' | 'income' | 'profit'>;

/** Plain-JSON image of the whole staking state; amounts are decimal ta strings. */
export interface StakeSnapshot {
  format: string;
  profile: ProfileJson;
  nextHeight: number;
  parentPosHash: Hex;
  lastBlock: BlockRecord | null;
  shares: ShareJson[];
  nodes: StakingNodeJson[];
  tree: [Hex, number][];
  touched: [number, string[]][];
  missHistory: [number, number][];
  missedVotes: number;
  expiredLotteries?: Hex[];
  nodeStats: NodeVoteStatsJson;
  ledger: LedgerEntryJson[];
}

export function shareToJson(share: Share): ShareJson {
  return { ...share, price: share.price.toString(), income: share.income.toString(), profit: share.profit.toString() };
}

function shareFromJson(json: ShareJson): Share {
  return { ...json, price: BigInt(json.price), income: BigInt(json.income), profit: BigInt(json.profit) };
}

export function nodeToJson(node: StakingNode): StakingNodeJson {
  return { ...node, pledge: node.pledge.toString(), income: node.income.toString(), profit: node.profit.toString() };
}

function nodeFromJson(json: StakingNodeJson): StakingNode {
  return { ...json, pledge: BigInt(json.pledge), income: BigInt(json.income), profit: BigInt(json.profit) };
}
