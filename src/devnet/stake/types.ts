// The staking layer's records: shares, StakingNodes, drawn tickets, votes, stake transactions, blocks.
import type { Hex } from '../../util/hex.js';

export type ShareStatus = 'valid' | 'out-of-date' | 'finished';

/** One purchase of tickets (go-sero's Share). */
export interface Share {
  readonly id: Hex;
  /** Account the principal and rewards go to. */
  readonly owner: string;
  /** Key that may sign solo votes; null for a seed share delegated to a StakingNode. */
  readonly voteKey: Hex | null;
  readonly nodeId: Hex | null;
  readonly txHash: Hex;
  /** Principal per ticket (the purchase's average price). */
  readonly price: bigint;
  readonly boughtAt: number;
  readonly initialTickets: number;
  /** The node's fee rate at purchase, in 1/10000 (mainnet rewards only). */
  readonly feeRate: number;
  /** Tickets in the tree, neither selected nor expired. */
  liveTickets: number;
  /** Tickets selected for a block whose vote has not been settled yet. */
  owedVotes: number;
  /** Tickets that expired unselected. */
  expiredTickets: number;
  status: ShareStatus;
  /** Accrued, not yet paid: refunds plus rewards. */
  income: bigint;
  /** Cumulative rewards. */
  profit: bigint;
  /** Height of the last settlement payout, 0 if never. */
  lastPayHeight: number;
}

/** A registered StakingNode (go-sero's StakePool). */
export interface StakingNode {
  readonly id: Hex;
  readonly owner: string;
  voteKey: Hex;
  readonly registeredAt: number;
  readonly txHash: Hex;
  /** Pledge still locked; 0 once returned. */
  pledge: bigint;
  feeRate: number;
  /** Delegated tickets in the tree. */
  liveTickets: number;
  /** Delegated tickets selected and not yet settled. */
  owedVotes: number;
  /** Cumulative delegated tickets selected. */
  selectedTickets: number;
  /** Delegated selections not (yet) voted by the node itself. */
  unvotedSelections: number;
  /** Cumulative delegated tickets that expired unselected. */
  expiredTickets: number;
  income: bigint;
  profit: bigint;
  lastPayHeight: number;
  closed: boolean;
  /** Height at which the pledge was released, if it was. */
  pledgeReturnedAt: number | null;
}

export interface SelectedTicket {
  /** Position of the ticket in the tree (go-sero's Vote.Idx). */
  readonly ticketIndex: number;
  readonly shareId: Hex;
}

/** A signed vote for one drawn ticket. */
export interface Vote {
  /** Block voted for. */
  readonly height: number;
  /** That block's HashPos. */
  readonly posHash: Hex;
  readonly ticketIndex: number;
  readonly shareId: Hex;
  /** Cast by the share's StakingNode rather than by the share's own vote key. */
  readonly isPool: boolean;
  /** Ed25519 signature of StakeHash(posHash, parent's posHash, isPool). */
  readonly signature: Hex;
}

export type StakeTx =
  | {
      type: 'buy-share';
      from: string;
      value: bigint;
      /** Solo vote key; required on mainnet, and on seed unless a node is named. */
      voteKey?: Hex;
      nodeId?: Hex;
      txHash?: Hex;
    }
  | {
      /** Registers a node (value = the pledge) or, for an existing one, changes fee and vote key. */
      type: 'register-node';
      from: string;
      value: bigint;
      voteKey: Hex;
      feeRate: number;
      txHash?: Hex;
    }
  | { type: 'close-node'; from: string; txHash?: Hex };

export type TxResult =
  | {
      ok: true;
      type: 'buy-share';
      txHash: Hex;
      shareId: Hex;
      tickets: number;
      averagePrice: bigint;
      charged: bigint;
      change: bigint;
    }
  | { ok: true; type: 'register-node'; txHash: Hex; nodeId: Hex; created: boolean; change: bigint }
  | { ok: true; type: 'close-node'; txHash: Hex; nodeId: Hex; pledgeReturned: boolean }
  | { ok: false; type: StakeTx['type']; txHash: Hex; error: string; refunded: bigint };

/** A canonical block as the staking layer needs it. */
export interface StakeBlock {
  height: number;
  /** keccak256(mixDigest ‖ nonce) of this block. */
  posHash: Hex;
  /** Coinbase address credited with the miner's part. */
  miner: string;
  /** mainnet PoW reward input; defaults to 0 (the reward's lower clamp). */
  difficulty?: bigint;
  /** Votes for this block (at most 3). */
  votes?: Vote[];
  /** mainnet: late votes for the parent block (at most 3). */
  parentVotes?: Vote[];
  transactions?: StakeTx[];
}

export interface BlockRecord {
  readonly height: number;
  readonly posHash: Hex;
  readonly parentPosHash: Hex;
  readonly miner: string;
  readonly treeSize: number;
  readonly selection: readonly SelectedTicket[];
  readonly votes: readonly Vote[];
  readonly parentVotes: readonly Vote[];
}

export class StakeRuleError extends Error {
  override readonly name = 'StakeRuleError';
}
