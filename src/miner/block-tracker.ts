// The one owner of every found block's outcome: block sources (the miner's own judgement of a
// share, the pool's vote notices, the node's chain) report normalized events, and the tracker
// keeps the ledger in step: pending when found, a vote at a time, then confirmed (credit) or
// orphaned (nothing). Only the authoritative source settles a block: the node when one is
// given (the chain decides, whatever the pool said), else the pool's notices.
import { EventEmitter } from 'node:events';
import { bytesTo0x, formatNonce } from '../util/hex.js';
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
  /** An outcome from a source that does not decide (the pool's, when the node does). */
  overruled: [block: LedgerBlock, event: OutcomeEvent];
}

export class BlockTracker extends EventEmitter<BlockTrackerEvents> {
  constructor(
    private readonly ledger: Ledger,
    readonly authority: OutcomeAuthority,
    private readonly now: () => number = Date.now,
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
    const block = this.ledger.addPending({
      height: c.height, nonce, headerHash: bytesTo0x(c.headerHash), mixDigest: bytesTo0x(c.mixDigest), expectedCredit: c.reward, votesNeeded: c.votesNeeded,
    }, this.now());
    this.emit('pending', block);
  }

  private vote(v: VoteEvent): void {
    const nonce = formatNonce(v.nonce);
    const votes = this.ledger.addVote(v.height, nonce, v.voter, this.now());
    if (votes === undefined) return;
    const block = this.ledger.get(v.height, nonce)!;
    this.emit('vote', block, votes);
    // Without a node the pool's votes are all there is; with one, only the chain confirms.
    if (this.authority === 'pool' && v.source === 'pool' && votes >= block.votesNeeded) this.settle(block, 'confirmed');
  }

  private outcome(o: OutcomeEvent): void {
    const block = this.ledger.get(o.height, formatNonce(o.nonce));
    if (!block || block.status !== 'pending') return;
    if (o.source !== this.authority) {
      this.emit('overruled', block, o);
      return;
    }
    this.settle(block, o.status, o);
  }

  private settle(block: LedgerBlock, status: 'confirmed' | 'orphaned', o?: OutcomeEvent): void {
    const settled = status === 'confirmed'
      ? this.ledger.confirm(block.height, block.nonce, o?.credit, this.now())
      : this.ledger.orphan(block.height, block.nonce, o?.reason ?? 'orphaned', this.now());
    if (settled) this.emit(status, settled);
  }
}
