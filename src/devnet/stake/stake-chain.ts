// The devnet's staking layer as one object: pure logic, no I/O, no timers. A node drives it so:
// `StakeChain.create(createProfile(name), { startHeight })` or `StakeChain.restore(snapshot)`; for
// every found block `openLottery(hashPos(mix, nonce))`, gather votes in a `VoteCollector` (each
// checked by `verifyVote`) until `status()` says confirmed or orphaned; apply a confirmed one with
// `applyBlock` (its stake transactions go with it), report one orphaned by the window with
// `recordExpiredLottery`; persist `snapshot()`. `Population` supplies simulated voters.
import { requiredVotes } from '../../chain/confirmation.js';
import type { StakeProfile } from '../../chain/profile.js';
import { quotePurchase, ticketPrice, type PurchaseQuote } from '../../chain/ticket-pricing.js';
import { rewardAcceptedBlock } from './block-rewards.js';
import { normalizeHex, ZERO_HASH, type Hex } from '../../util/hex.js';
import { nodeIdOf } from './ids.js';
import type { Lottery } from './lottery.js';
import type { NodeWindowTally } from './node-stats.js';
import type { LedgerEntry, StakeLedger } from './stake-ledger.js';
import { StakeState, type StakeSnapshot } from './state.js';
import { applyTransaction, pendingTickets } from './transactions.js';
import { prepareHeight } from './transition.js';
import {
  StakeRuleError,
  type BlockRecord,
  type SelectedTicket,
  type Share,
  type StakeBlock,
  type StakeTx,
  type StakingNode,
  type TxResult,
  type Vote,
} from './types.js';
import {
  checkBlockVotes,
  checkCurrentVote,
  checkParentVote,
  drawSelection,
  votesRequired,
  type VoteCheck,
} from './vote-rules.js';

export interface StakeChainOptions {
  /** Height of the first block the devnet will apply. */
  startHeight: number;
  /** HashPos of the block before it (signed by the first block's votes); zero hash by default. */
  parentPosHash?: Hex;
}

export interface BlockResult {
  height: number;
  selection: SelectedTicket[];
  txResults: TxResult[];
  /** Ledger entries written while applying the block and preparing the next height. */
  entries: LedgerEntry[];
}

/**
 * The devnet's staking layer: ticket tree, shares, StakingNodes, votes, rewards and settlement
 * for one profile. Pure logic; the state is always prepared for `nextHeight` (go-sero's
 * ProcessBeforeApply of that height has run), so a lottery can be drawn at any time.
 */
export class StakeChain {
  private readonly selections = new Map<Hex, SelectedTicket[]>();

  private constructor(private readonly state: StakeState) {}

  static create(profile: StakeProfile, options: StakeChainOptions): StakeChain {
    if (!Number.isSafeInteger(options.startHeight) || options.startHeight < 0) {
      throw new RangeError('startHeight must be a non-negative integer');
    }
    const parentPosHash = normalizeHex(options.parentPosHash ?? ZERO_HASH, 32);
    return new StakeChain(new StakeState(profile, options.startHeight, parentPosHash));
  }

  static restore(snapshot: StakeSnapshot): StakeChain {
    return new StakeChain(StakeState.fromJson(snapshot));
  }

  /** Plain-JSON copy of the whole state (bigints as decimal strings). */
  snapshot(): StakeSnapshot {
    return structuredClone(this.state.toJson());
  }

  get profile(): StakeProfile {
    return this.state.profile;
  }

  get nextHeight(): number {
    return this.state.nextHeight;
  }

  /** HashPos of the last applied block (the parent of the next one). */
  get parentPosHash(): Hex {
    return this.state.parentPosHash;
  }

  get lastBlock(): BlockRecord | null {
    return this.state.lastBlock;
  }

  get ledger(): Pick<StakeLedger, 'entries' | 'entriesSince' | 'totals' | 'accountSummary' | 'verifyBalance' | 'length'> {
    return this.state.ledger;
  }

  /** Tickets in the tree: the pool size the next draw uses. */
  get ticketCount(): number {
    return this.state.tree.size;
  }

  /** Price of the next ticket bought in the next block. */
  ticketPrice(): bigint {
    return ticketPrice(this.profile.pricing, this.state.tree.size + pendingTickets(this.state, this.nextHeight));
  }

  quotePurchase(value: bigint): PurchaseQuote {
    return quotePurchase(this.profile.pricing, value, this.state.tree.size + pendingTickets(this.state, this.nextHeight));
  }

  /** mainnet's NeedTwoVote for the next block (seed: always). */
  votesRequired(): boolean {
    return votesRequired(this.state);
  }

  /** The draw for a found block at nextHeight whose HashPos is `posHash`. */
  openLottery(posHash: Hex): Lottery {
    const normalized = normalizeHex(posHash, 32);
    const tickets = this.selectionFor(normalized).map((ticket) => ({
      ...ticket,
      nodeId: this.state.share(ticket.shareId).nodeId,
    }));
    const required = this.votesRequired();
    return {
      height: this.nextHeight,
      posHash: normalized,
      parentPosHash: this.parentPosHash,
      treeSize: this.state.tree.size,
      tickets,
      votesRequired: required,
      requiredVotes: requiredVotes(this.profile, { selectionDrawn: tickets.length > 0, votesRequired: required }),
    };
  }

  /**
   * Full check of one vote: for nextHeight against the draw for its posHash, or (mainnet) a late
   * vote for the last block; the signer must be the share's vote key or its node's.
   */
  verifyVote(vote: Vote): VoteCheck {
    if (vote.height === this.nextHeight) return checkCurrentVote(this.state, vote, this.selectionFor(vote.posHash));
    return checkParentVote(this.state, vote);
  }

  /**
   * Applies a confirmed canonical block at nextHeight: checks its votes (throws StakeRuleError,
   * leaving the state untouched), applies its stake transactions, mints its rewards, then
   * prepares the next height.
   */
  applyBlock(block: StakeBlock): BlockResult {
    const state = this.state;
    const height = block.height;
    if (height !== state.nextHeight) throw new StakeRuleError(`expected block ${state.nextHeight}, got ${height}`);
    const posHash = normalizeHex(block.posHash, 32);
    const selection = this.selectionFor(posHash);
    const votes = block.votes ?? [];
    checkBlockVotes(state, { ...block, posHash }, selection);
    const firstEntry = state.ledger.length;

    const txResults = (block.transactions ?? []).map((tx: StakeTx, index) => applyTransaction(state, height, tx, index));
    if (!state.expiredLotteries.has(posHash)) this.tallyNodeVotes(height, selection, votes);
    rewardAcceptedBlock(state, { ...block, posHash }, votes);

    state.lastBlock = {
      height,
      posHash,
      parentPosHash: state.parentPosHash,
      miner: block.miner,
      treeSize: state.tree.size,
      selection,
      votes: [...votes],
      parentVotes: [...(block.parentVotes ?? [])],
    };
    state.parentPosHash = posHash;
    state.nextHeight = height + 1;
    this.selections.clear();
    state.expiredLotteries.clear();
    prepareHeight(state, state.nextHeight);
    return { height, selection, txResults, entries: state.ledger.entriesSince(firstEntry) };
  }

  /**
   * Counts a lottery at nextHeight that ran out its vote window without confirming, for the
   * StakingNode statistics. Not for a lottery lost because another block took the height.
   */
  recordExpiredLottery(posHash: Hex, votes: readonly Vote[]): void {
    const normalized = normalizeHex(posHash, 32);
    if (this.state.expiredLotteries.has(normalized)) return;
    this.state.expiredLotteries.add(normalized);
    const selection = this.selectionFor(normalized);
    const valid = votes.filter((vote) => vote.posHash === normalized && checkCurrentVote(this.state, vote, selection).ok);
    this.tallyNodeVotes(this.nextHeight, selection, valid);
  }

  /** Misses and selections of a StakingNode over the statistics window ending at `height` (default: the last block). */
  nodeVoteWindow(nodeId: Hex, height = this.nextHeight - 1): NodeWindowTally {
    return this.state.nodeStats.window(nodeId, height, this.profile.windows.statistics);
  }

  getShare(id: Hex): Readonly<Share> | undefined {
    const share = this.state.shares.get(id);
    return share && { ...share };
  }

  sharesOf(owner: string): Readonly<Share>[] {
    return this.state.sharesOwnedBy(owner).map((share) => ({ ...share }));
  }

  getNode(id: Hex): Readonly<StakingNode> | undefined {
    const node = this.state.nodes.get(id);
    return node && { ...node };
  }

  nodeOf(owner: string): Readonly<StakingNode> | undefined {
    return this.getNode(nodeIdOf(owner));
  }

  listNodes(): Readonly<StakingNode>[] {
    return [...this.state.nodes.values()].map((node) => ({ ...node }));
  }

  /** Policy checks the RPC applies before accepting a transaction (not block rules). */
  policyError(tx: StakeTx): string | null {
    if (tx.type === 'register-node' && this.profile.name === 'mainnet') {
      const [low, high] = this.profile.feeRateRange;
      if (tx.feeRate < low || tx.feeRate > high) return `fee rate must be within ${low}..${high} (per 10000)`;
    }
    if (tx.type === 'buy-share' && this.profile.name === 'mainnet' && tx.voteKey === undefined) return 'a vote key is required';
    return null;
  }

  private selectionFor(posHash: Hex): SelectedTicket[] {
    let selection = this.selections.get(posHash);
    if (!selection) {
      selection = drawSelection(this.state, posHash);
      this.selections.set(posHash, selection);
    }
    return selection;
  }

  private tallyNodeVotes(height: number, selection: readonly SelectedTicket[], votes: readonly Vote[]): void {
    for (const ticket of selection) {
      const nodeId = this.state.share(ticket.shareId).nodeId;
      if (!nodeId) continue;
      const votedByNode = votes.some((vote) => vote.ticketIndex === ticket.ticketIndex && vote.isPool);
      this.state.nodeStats.record(nodeId, height, 1, votedByNode ? 1 : 0);
    }
  }
}
