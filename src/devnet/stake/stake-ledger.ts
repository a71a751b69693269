// The append-only record of every amount the staking layer mints, credits, burns, locks, refunds and pays.
import type { Hex } from '../../util/hex.js';

/** Where an amount goes: straight to the account, or into a share's / node's income (paid at settlement). */
export type Holder = { kind: 'account' } | { kind: 'share'; id: Hex } | { kind: 'node'; id: Hex };

export type MintReason =
  | 'seed-block' // seed: R of a confirmed block
  | 'pow' // mainnet: PoW reward of a block
  | 'team' // mainnet: per-block team accrual
  | 'vote' // mainnet: reward of a current vote
  | 'late-vote' // mainnet: reward of a vote carried by the child block
  | 'remedy'; // mainnet: bonus to the miner who carried late votes

export type CreditReason = 'miner' | 'voter' | 'node' | 'team' | 'remedy';
export type BurnReason = 'solo-vote-node-part' | 'node-penalty';
export type LockReason = 'ticket-purchase' | 'pledge';
export type RefundReason = 'ticket-voted' | 'ticket-expired' | 'vote-written-off' | 'pledge';

interface EntryBase {
  /** Position in the ledger, from 0. */
  seq: number;
  /** Block whose processing wrote the entry. */
  height: number;
}
export interface MintEntry extends EntryBase {
  type: 'mint';
  /** Block the issuance belongs to (a vote reward minted at N+1 belongs to N). */
  block: number;
  reason: MintReason;
  amount: bigint;
}
export interface CreditEntry extends EntryBase {
  type: 'credit';
  mint: number;
  account: string;
  holder: Holder;
  reason: CreditReason;
  amount: bigint;
}
export interface BurnEntry extends EntryBase {
  type: 'burn';
  mint: number;
  reason: BurnReason;
  /** Node or share the burned part would have gone to. */
  holder: Holder;
  amount: bigint;
}
export interface LockEntry extends EntryBase {
  type: 'lock';
  account: string;
  holder: Holder;
  reason: LockReason;
  amount: bigint;
}
export interface RefundEntry extends EntryBase {
  type: 'refund';
  account: string;
  holder: Holder;
  reason: RefundReason;
  amount: bigint;
}
/** Settlement: a share's or node's accrued income paid to its owner. */
export interface PayoutEntry extends EntryBase {
  type: 'payout';
  account: string;
  holder: Holder;
  amount: bigint;
}

export type LedgerEntry = MintEntry | CreditEntry | BurnEntry | LockEntry | RefundEntry | PayoutEntry;
export type LedgerEntryType = LedgerEntry['type'];

export type Allocation =
  | { type: 'credit'; account: string; holder: Holder; reason: CreditReason; amount: bigint }
  | { type: 'burn'; holder: Holder; reason: BurnReason; amount: bigint };

export interface LedgerTotals {
  minted: bigint;
  credited: bigint;
  burned: bigint;
  locked: bigint;
  refunded: bigint;
  paidOut: bigint;
}

export interface AccountSummary {
  /** Rewards credited to the account, directly or via its shares and nodes. */
  credited: bigint;
  locked: bigint;
  refunded: bigint;
  paidOut: bigint;
  /** Change of the account's spendable balance so far: direct credits and refunds plus payouts minus locks. */
  walletDelta: bigint;
}

export interface LedgerFilter {
  type?: LedgerEntryType;
  account?: string;
  height?: number;
  fromHeight?: number;
  toHeight?: number;
  /** Entries whose holder is this share or node id. */
  holderId?: Hex;
  reason?: string;
}

export type LedgerEntryJson = DistributiveOmit<LedgerEntry, 'amount'> & { amount: string };

const emptySummary = (): AccountSummary => ({ credited: 0n, locked: 0n, refunded: 0n, paidOut: 0n, walletDelta: 0n });

/** The running total each type of entry adds to. */
const TOTAL_OF = {
  mint: 'minted',
  credit: 'credited',
  burn: 'burned',
  lock: 'locked',
  refund: 'refunded',
  payout: 'paidOut',
} as const satisfies Record<LedgerEntryType, keyof LedgerTotals>;

/** Credits and refunds reach the wallet at once only when made to the account itself; a share's or node's wait for its payout. */
function addToSummary(summary: AccountSummary, entry: CreditEntry | LockEntry | RefundEntry | PayoutEntry): void {
  summary[TOTAL_OF[entry.type]] += entry.amount;
  if (entry.type === 'lock') summary.walletDelta -= entry.amount;
  else if (entry.type === 'payout' || entry.holder.kind === 'account') summary.walletDelta += entry.amount;
}

const zeroTotals = (): LedgerTotals => ({ minted: 0n, credited: 0n, burned: 0n, locked: 0n, refunded: 0n, paidOut: 0n });

/**
 * Append-only record of every amount the staking layer moves. Rewards enter only through
 * `recordMint`, which refuses allocations that do not add up, so minted = credited + burned.
 */
export class StakeLedger {
  private readonly list: LedgerEntry[] = [];
  private readonly sums = zeroTotals();
  private readonly accounts = new Map<string, AccountSummary>();

  recordMint(height: number, block: number, reason: MintReason, amount: bigint, allocations: Allocation[]): MintEntry {
    const allocated = allocations.reduce((sum, allocation) => sum + allocation.amount, 0n);
    if (allocated !== amount || allocations.some((allocation) => allocation.amount < 0n)) {
      throw new Error(`mint of ${amount} (${reason}, block ${block}) allocated ${allocated}`);
    }
    const mint: MintEntry = { seq: this.list.length, type: 'mint', height, block, reason, amount };
    this.push(mint);
    for (const allocation of allocations) {
      if (allocation.amount === 0n) continue;
      this.push({ ...allocation, height, mint: mint.seq });
    }
    return mint;
  }

  recordLock(height: number, account: string, holder: Holder, reason: LockReason, amount: bigint): void {
    this.push({ type: 'lock', height, account, holder, reason, amount });
  }

  recordRefund(height: number, account: string, holder: Holder, reason: RefundReason, amount: bigint): void {
    if (amount > 0n) this.push({ type: 'refund', height, account, holder, reason, amount });
  }

  recordPayout(height: number, account: string, holder: Holder, amount: bigint): void {
    this.push({ type: 'payout', height, account, holder, amount });
  }

  get length(): number {
    return this.list.length;
  }

  totals(): LedgerTotals {
    return { ...this.sums };
  }

  entries<T extends LedgerEntryType>(filter: LedgerFilter & { type: T }): Extract<LedgerEntry, { type: T }>[];
  entries(filter?: LedgerFilter): LedgerEntry[];
  entries(filter: LedgerFilter = {}): LedgerEntry[] {
    return this.list.filter((entry) => matches(entry, filter));
  }

  /** Entries with seq ≥ `seq`, for incremental persistence. */
  entriesSince(seq: number): LedgerEntry[] {
    return this.list.slice(seq);
  }

  accountSummary(account: string): AccountSummary {
    return { ...(this.accounts.get(account) ?? emptySummary()) };
  }

  /** Every mint's allocations add up to it and the running totals match the entries. */
  verifyBalance(): void {
    const allocated = new Map<number, bigint>();
    const recomputed = zeroTotals();
    for (const entry of this.list) {
      addToTotals(recomputed, entry);
      if (entry.type === 'credit' || entry.type === 'burn') {
        allocated.set(entry.mint, (allocated.get(entry.mint) ?? 0n) + entry.amount);
      }
    }
    for (const entry of this.list) {
      if (entry.type === 'mint' && (allocated.get(entry.seq) ?? 0n) !== entry.amount) {
        throw new Error(`mint #${entry.seq} of ${entry.amount} has allocations totalling ${allocated.get(entry.seq) ?? 0n}`);
      }
    }
    for (const key of Object.keys(recomputed) as (keyof LedgerTotals)[]) {
      if (recomputed[key] !== this.sums[key]) throw new Error(`ledger total ${key} drifted`);
    }
    if (this.sums.minted !== this.sums.credited + this.sums.burned) throw new Error('minted ≠ credited + burned');
  }

  toJson(): LedgerEntryJson[] {
    return this.list.map((entry) => ({ ...entry, amount: entry.amount.toString() }) as LedgerEntryJson);
  }

  static fromJson(json: LedgerEntryJson[]): StakeLedger {
    const ledger = new StakeLedger();
    for (const entry of json) {
      const restored = { ...entry, amount: BigInt(entry.amount) } as LedgerEntry;
      if (restored.seq !== ledger.list.length) throw new Error(`ledger entry seq ${restored.seq} out of order`);
      ledger.list.push(restored);
      ledger.account(restored);
    }
    return ledger;
  }

  private push(entry: DistributiveOmit<LedgerEntry, 'seq'>): void {
    const full = { ...entry, seq: this.list.length } as LedgerEntry;
    this.list.push(full);
    this.account(full);
  }

  private account(entry: LedgerEntry): void {
    addToTotals(this.sums, entry);
    if (!('account' in entry)) return;
    let summary = this.accounts.get(entry.account);
    if (!summary) this.accounts.set(entry.account, (summary = emptySummary()));
    addToSummary(summary, entry);
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function addToTotals(totals: LedgerTotals, entry: LedgerEntry): void {
  totals[TOTAL_OF[entry.type]] += entry.amount;
}

function matches(entry: LedgerEntry, filter: LedgerFilter): boolean {
  if (filter.type !== undefined && entry.type !== filter.type) return false;
  if (filter.height !== undefined && entry.height !== filter.height) return false;
  if (filter.fromHeight !== undefined && entry.height < filter.fromHeight) return false;
  if (filter.toHeight !== undefined && entry.height > filter.toHeight) return false;
  if (filter.account !== undefined && !('account' in entry && entry.account === filter.account)) return false;
  if (filter.reason !== undefined && !('reason' in entry && entry.reason === filter.reason)) return false;
  if (filter.holderId !== undefined) {
    if (!('holder' in entry) || entry.holder.kind === 'account' || entry.holder.id !== filter.holderId) return false;
  }
  return true;
}
