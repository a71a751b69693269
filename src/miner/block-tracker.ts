// Follows every block candidate the miner submitted through its votes to an outcome, and
// keeps the ledger in step: pending on submission, a vote at a time, then confirmed (credit)
// or orphaned (nothing). Votes come from the pool's vote notifications or from a node watcher.
import { EventEmitter } from 'node:events';
import { bytesTo0x, formatNonce } from '../util/hex.js';
import { unrefTimer } from '../util/timers.js';
import type { Ledger, LedgerBlock } from './reward-ledger.js';

export interface CandidateRef {
  height: number;
  nonce: bigint;
  headerHash: Uint8Array;
  mixDigest: Uint8Array;
  /** Credit if confirmed, when the pool states it; else the rule's. */
  reward?: bigint;
  /** Vote window of this block, when the pool states it; else the rule's. */
  windowMs?: number;
}

/**
 * A vote's name in the ledger: the voting share and which of that share's votes on the block
 * it is (one share can hold two of the drawn tickets). Pool notices and the node's block name
 * a vote alike whatever order they list the votes in, so a vote both report counts once.
 */
export function voteKey(shareId: string, ordinal: number): string {
  return `${shareId.toLowerCase().replace(/^0x/, '')}#${ordinal}`;
}

/** Keys of a block's votes in listing order: the k-th vote of a share is its ordinal k. */
export function voteKeys(shareIds: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return shareIds.map((id) => {
    const key = voteKey(id, 0);
    const ordinal = (seen.get(key) ?? 0) + 1;
    seen.set(key, ordinal);
    return voteKey(id, ordinal);
  });
}

/** A pool's own window may end a little after ours starts: wait this much longer for its verdict. */
const OUTCOME_GRACE_MS = 10_000;

export interface ConfirmationRule {
  /** Votes that confirm a block (seed: 3). */
  readonly votesNeeded: number;
  /** How long a candidate may wait for its votes before it is orphaned. */
  readonly windowMs: number;
  /** PoW credit of a confirmed block at this height, in ta. */
  powCredit(height: number): bigint;
}

export interface BlockTrackerEvents {
  pending: [block: LedgerBlock];
  vote: [block: LedgerBlock, votes: number];
  confirmed: [block: LedgerBlock];
  orphaned: [block: LedgerBlock];
}

export class BlockTracker extends EventEmitter<BlockTrackerEvents> {
  private timer: NodeJS.Timeout | undefined;
  private readonly windows = new Map<string, number>();

  constructor(private readonly ledger: Ledger, private readonly rule: ConfirmationRule, private readonly now: () => number = Date.now) {
    super();
  }

  /** Start the orphan clock; candidates restored from the journal keep their original start. */
  start(checkEveryMs = 1000): void {
    this.timer ??= unrefTimer(setInterval(() => this.expire(), checkEveryMs));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  submitted(c: CandidateRef): LedgerBlock {
    const nonce = formatNonce(c.nonce);
    if (c.windowMs !== undefined) this.windows.set(`${c.height}:${nonce}`, c.windowMs + OUTCOME_GRACE_MS);
    const known = this.ledger.get(c.height, nonce);
    if (known) return known;
    const block = this.ledger.addPending({
      height: c.height, nonce, headerHash: bytesTo0x(c.headerHash), mixDigest: bytesTo0x(c.mixDigest), expectedCredit: c.reward ?? this.rule.powCredit(c.height),
    }, this.now());
    this.emit('pending', block);
    return block;
  }

  vote(height: number, nonce: bigint, voter: string): void {
    const votes = this.ledger.addVote(height, formatNonce(nonce), voter, this.now());
    if (votes === undefined) return;
    const block = this.ledger.get(height, formatNonce(nonce))!;
    this.emit('vote', block, votes);
    if (votes >= this.rule.votesNeeded) this.confirm(height, nonce);
  }

  confirm(height: number, nonce: bigint, credit?: bigint): void {
    const block = this.ledger.confirm(height, formatNonce(nonce), credit, this.now());
    if (block) this.emit('confirmed', block);
  }

  orphan(height: number, nonce: bigint, reason: string): void {
    const block = this.ledger.orphan(height, formatNonce(nonce), reason, this.now());
    if (block) this.emit('orphaned', block);
  }

  /** Candidates whose window passed without enough votes are orphaned. */
  expire(): void {
    const now = this.now();
    for (const b of this.ledger.pending()) {
      const windowMs = this.windows.get(`${b.height}:${b.nonce}`) ?? this.rule.windowMs;
      if (now - b.submittedAt > windowMs) {
        const block = this.ledger.orphan(b.height, b.nonce, `no ${this.rule.votesNeeded} votes within ${Math.round(windowMs / 1000)} s`, now);
        if (block) this.emit('orphaned', block);
      }
    }
  }
}
