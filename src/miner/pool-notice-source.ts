// The pool as a block source: its vote-extension notices (sero_blockCandidate, sero_blockVote,
// sero_blockOutcome) turned into normalized block events. The pool's client hands on only notices
// about a share submitted on its connection, for the header it was submitted for, with that share
// (net/client/submitted-shares.ts); anything else is a forgery and never gets here.
import type { OfSubmittedShare } from '../net/client/pool-client.js';
import { describePoolUri, type PoolUri } from '../net/wire/uri.js';
import { shareKey } from '../net/client/submitted-shares.js';
import type { BlockRef, CandidateNotice, OutcomeNotice, VoteNotice } from '../net/wire/vote-extension.js';
import { bytesToHex } from '../util/hex.js';
import { voteKeys, type BlockEventSink, type ConfirmationRule } from './block-tracker.js';

/** What the source listens to: the pool manager (which names the pool each notice came from), or any client of one pool. */
export interface NoticeEmitter {
  on(event: 'candidate', listener: (notice: OfSubmittedShare<CandidateNotice>, pool?: PoolUri) => void): unknown;
  on(event: 'vote', listener: (notice: OfSubmittedShare<VoteNotice>, pool?: PoolUri) => void): unknown;
  on(event: 'outcome', listener: (notice: OfSubmittedShare<OutcomeNotice>, pool?: PoolUri) => void): unknown;
}

/** Blocks whose vote notices are counted at once. */
const BLOCKS_KEPT = 256;
/** A pool's reason is kept to this many characters. */
const MAX_REASON = 200;

export class PoolNoticeSource {
  /** Per block, the pool's vote notices so far: share id by the notice's running count. */
  private readonly poolVotes = new Map<string, Map<number, string>>();

  constructor(
    pool: NoticeEmitter,
    private readonly sink: BlockEventSink,
    private readonly rule: ConfirmationRule,
  ) {
    pool.on('candidate', (n, from) => this.onCandidate(n, from));
    pool.on('vote', (n, from) => this.onVote(n, from));
    pool.on('outcome', (n, from) => this.onOutcome(n, from));
  }

  private onCandidate(n: OfSubmittedShare<CandidateNotice>, from?: PoolUri): void {
    this.open(n, from, n.votesNeeded, n.reward);
  }

  private onVote(n: OfSubmittedShare<VoteNotice>, from?: PoolUri): void {
    this.open(n, from);
    const voter = this.voteName(n);
    if (voter) this.sink({ kind: 'vote', source: 'pool', height: n.height, nonce: n.nonce, voter });
  }

  private onOutcome(n: OfSubmittedShare<OutcomeNotice>, from?: PoolUri): void {
    this.open(n, from);
    this.poolVotes.delete(shareKey(n.height, n.nonce));
    this.sink({
      kind: 'outcome', source: 'pool', height: n.height, nonce: n.nonce, status: n.status,
      reason: n.status === 'orphaned' ? (n.reason ?? 'orphaned by the pool').slice(0, MAX_REASON) : undefined,
    });
  }

  /** Opens the notice's block as a candidate (a vote or outcome may come without its candidate notice). */
  private open(n: OfSubmittedShare<BlockRef>, from: PoolUri | undefined, votesNeeded = this.rule.votesNeeded, reward = this.rule.powCredit(n.height)): void {
    const pool = from === undefined ? {} : { pool: describePoolUri(from) };
    this.sink({ kind: 'candidate', source: 'pool', height: n.height, nonce: n.nonce, headerHash: n.headerHash, mixDigest: n.share.mixDigest, votesNeeded, reward, ...pool });
  }

  /** The ledger name of a pool's vote notice; undefined for a repeated notice. */
  private voteName(n: VoteNotice): string | undefined {
    const block = shareKey(n.height, n.nonce);
    let notices = this.poolVotes.get(block);
    if (!notices) {
      notices = new Map();
      this.poolVotes.set(block, notices);
      if (this.poolVotes.size > BLOCKS_KEPT) this.poolVotes.delete(this.poolVotes.keys().next().value!);
    }
    if (notices.has(n.votes)) return undefined;
    notices.set(n.votes, bytesToHex(n.shareId));
    return voteKeys([...notices.values()]).at(-1);
  }
}
