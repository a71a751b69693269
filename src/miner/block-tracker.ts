// The one owner of every found block's outcome: block sources (the miner's own judgement of a
// share, the pool's vote notices, the node's chain) report normalized events, and the tracker
// keeps the ledger in step: pending when found (with where it was found), a vote at a time, then
// confirmed (credit) or orphaned (nothing). Only the authoritative source settles a block: the
// node when one is given (the chain decides, whatever the pool said), else the pool's notices.
// It says each change once, and a pool outcome the chain contradicts once.
import { EventEmitter } from 'node:events';
import { bytesTo0x, formatNonce } from '../util/hex.js';
import type { BlockOrigin } from './ledger-chains.js';
import type { Ledger, LedgerBlock } from './reward-ledger.js';

/** Where an event comes from: the miner's own share judgement, the pool's notices, or the node's chain. */
export type BlockSource = 'miner' | 'pool' | 'node';

/** Who may settle a block: the node's chain when a node is given, else the pool's notices. */
export type OutcomeAuthority = Extract<BlockSource, 'pool' | 'node'>;

interface BlockRef {
  readonly source: BlockSource;
  readonly height: number;
  readonly nonce: bigint;
}

/** A share that is a block: it now waits for its votes. */
export interface CandidateEvent extends BlockRef {
  readonly kind: 'candidate';
  readonly headerHash: Uint8Array;
  readonly mixDigest: Uint8Array;
  /** Votes that confirm it under the chain rules in force; travels with the block. */
  readonly votesNeeded: number;
  /** The PoW credit (ta) if it is confirmed. */
  readonly reward: bigint;
  /** The pool the share went to, as described to the user (no password), when the source knows it. */
  readonly pool?: string;
}

export interface VoteEvent extends BlockRef {
  readonly kind: 'vote';
  /** The vote's name (`voteKey`), so a vote both sources report counts once. */
  readonly voter: string;
}

export interface OutcomeEvent extends BlockRef {
  readonly kind: 'outcome';
  readonly status: 'confirmed' | 'orphaned';
  /** What was credited, when the source knows it exactly (the node's block reward). */
  readonly credit?: bigint;
  /** Why it was lost, as the source said it (network text: escape it before printing). */
  readonly reason?: string;
  /** The node's chain (genesis hash), when it found on chain a block recorded without one. */
  readonly chain?: string;
}

export type BlockEvent = CandidateEvent | VoteEvent | OutcomeEvent;

/** Where block sources send their events. */
export type BlockEventSink = (event: BlockEvent) => void;

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

export interface ConfirmationRule {
  /** Votes that confirm a block (seed: 3, mainnet: 2). */
  readonly votesNeeded: number;
  /** PoW credit of a confirmed block at this height and difficulty, in ta (mainnet's depends on the difficulty). */
  powCredit(height: number, difficulty?: bigint): bigint;
}

export interface BlockTrackerEvents {
  pending: [block: LedgerBlock];
  vote: [block: LedgerBlock, votes: number];
  confirmed: [block: LedgerBlock];
  orphaned: [block: LedgerBlock];
  /** An outcome from a source that does not decide (the pool's, when the node does), the block still pending. */
  overruled: [block: LedgerBlock, event: OutcomeEvent];
  /** The pool's outcome and the chain's differ (whichever came first); said once per block. */
  contradiction: [block: LedgerBlock, claim: OutcomeEvent];
}

/** Blocks whose overruled outcome is remembered to compare with the chain's, and contradictions said. */
const CLAIMS_KEPT = 256;

export class BlockTracker extends EventEmitter<BlockTrackerEvents> {
  /** The pool's outcome of blocks still pending, by ledger key. */
  private readonly claims = new Map<string, OutcomeEvent>();
  private readonly contradicted = new Set<string>();

  constructor(
    private readonly ledger: Ledger,
    readonly authority: OutcomeAuthority,
    private readonly now: () => number = Date.now,
    /** Where a block found now was found: the active pool, the node's chain, the rules. */
    private readonly origin: () => BlockOrigin = () => ({}),
  ) {
    super();
  }

  /** The sink every block source reports to. */
  readonly handle: BlockEventSink = (event) => {
    if (event.kind === 'candidate') this.candidate(event);
    else if (event.kind === 'vote') this.vote(event);
    else this.outcome(event);
  };

  private candidate(c: CandidateEvent): void {
    const nonce = formatNonce(c.nonce);
    if (this.ledger.get(c.height, nonce)) return;
    const origin = { ...this.origin(), ...(c.pool === undefined ? {} : { pool: c.pool }) };
    const block = this.ledger.addPending({
      height: c.height, nonce, headerHash: bytesTo0x(c.headerHash), mixDigest: bytesTo0x(c.mixDigest), expectedCredit: c.reward, votesNeeded: c.votesNeeded, origin,
    }, this.now());
    this.emit('pending', block);
  }

  private vote(v: VoteEvent): void {
    const nonce = formatNonce(v.nonce);
    const before = this.ledger.get(v.height, nonce)?.voters.length;
    const votes = this.ledger.addVote(v.height, nonce, v.voter, this.now());
    if (votes === undefined || votes === before) return; // a vote both sources report is news once
    const block = this.ledger.get(v.height, nonce)!;
    this.emit('vote', block, votes);
    // Without a node the pool's votes are all there is; with one, only the chain confirms.
    if (this.authority === 'pool' && v.source === 'pool' && votes >= block.votesNeeded) this.settle(block, 'confirmed');
  }

  private outcome(o: OutcomeEvent): void {
    const block = this.ledger.get(o.height, formatNonce(o.nonce));
    if (!block) return;
    if (o.source === this.authority) {
      if (block.status === 'pending') this.settle(block, o.status, o);
      return;
    }
    if (block.status !== 'pending') {
      this.compare(block, o);
      return;
    }
    remember(this.claims, key(block), o);
    this.emit('overruled', block, o);
  }

  private settle(block: LedgerBlock, status: 'confirmed' | 'orphaned', o?: OutcomeEvent): void {
    const settled = status === 'confirmed'
      ? this.ledger.confirm(block.height, block.nonce, o?.credit, this.now(), o?.chain)
      : this.ledger.orphan(block.height, block.nonce, o?.reason ?? 'orphaned', this.now());
    if (!settled) return;
    this.emit(status, settled);
    const claim = this.claims.get(key(settled));
    this.claims.delete(key(settled));
    if (claim) this.compare(settled, claim);
  }

  /** A settled block and the pool's word on it: a contradiction is said once. */
  private compare(block: LedgerBlock, claim: OutcomeEvent): void {
    if (claim.status === block.status || this.contradicted.has(key(block))) return;
    this.contradicted.add(key(block));
    if (this.contradicted.size > CLAIMS_KEPT) this.contradicted.delete(this.contradicted.values().next().value!);
    this.emit('contradiction', block, claim);
  }
}

const key = (block: LedgerBlock) => `${block.height}:${block.nonce}`;

function remember(claims: Map<string, OutcomeEvent>, name: string, claim: OutcomeEvent): void {
  claims.delete(name);
  claims.set(name, claim);
  if (claims.size > CLAIMS_KEPT) claims.delete(claims.keys().next().value!);
}
