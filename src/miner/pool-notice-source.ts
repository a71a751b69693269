// The pool as a block source: its vote-extension notices (sero_blockCandidate, sero_blockVote,
// sero_blockOutcome) turned into normalized block events. A notice counts only for a share this
// miner submitted, with the header it was submitted for (the same memory the stratum client keeps
// for each connection); anything else is a forgery and credits nothing.
import type { ShareSubmission } from '../net/client/pool-client.js';
import { describePoolUri, type PoolUri } from '../net/wire/uri.js';
import { shareKey, SubmittedShares } from '../net/client/submitted-shares.js';
import type { BlockRef, CandidateNotice, OutcomeNotice, VoteNotice } from '../net/wire/vote-extension.js';
import { bytesToHex, formatNonce } from '../util/hex.js';
import type { Logger } from '../util/log.js';
import { voteKeys, type BlockEventSink, type ConfirmationRule } from './block-tracker.js';

/** What the source listens to: the pool manager (which names the pool each notice came from), or any client of one pool. */
export interface NoticeEmitter {
  on(event: 'candidate', listener: (notice: CandidateNotice, pool?: PoolUri) => void): unknown;
  on(event: 'vote', listener: (notice: VoteNotice, pool?: PoolUri) => void): unknown;
  on(event: 'outcome', listener: (notice: OutcomeNotice, pool?: PoolUri) => void): unknown;
}

/** Blocks whose vote notices are counted at once. */
const BLOCKS_KEPT = 256;
/** A pool's reason is kept to this many characters. */
const MAX_REASON = 200;

export class PoolNoticeSource {
  /** Recent submissions, so a notice can be matched to the share it is about (and its mix digest). */
  private readonly submitted = new SubmittedShares();
  /** Per block, the pool's vote notices so far: share id by the notice's running count. */
  private readonly poolVotes = new Map<string, Map<number, string>>();

  constructor(
    pool: NoticeEmitter,
    private readonly sink: BlockEventSink,
    private readonly rule: ConfirmationRule,
    private readonly log: Logger,
  ) {
    pool.on('candidate', (n, from) => this.onCandidate(n, from));
    pool.on('vote', (n, from) => this.onVote(n, from));
    pool.on('outcome', (n, from) => this.onOutcome(n, from));
  }

  /** Every share goes through here on its way to the pool. */
  recordSubmission(share: ShareSubmission): void {
    this.submitted.remember(share);
  }

  private onCandidate(n: CandidateNotice, from?: PoolUri): void {
    this.open(n, from, n.votesNeeded, n.reward);
  }

  private onVote(n: VoteNotice, from?: PoolUri): void {
    if (!this.open(n, from)) return;
    const voter = this.voteName(n);
    if (voter) this.sink({ kind: 'vote', source: 'pool', height: n.height, nonce: n.nonce, voter });
  }

  private onOutcome(n: OutcomeNotice, from?: PoolUri): void {
    if (!this.open(n, from)) return;
    this.poolVotes.delete(shareKey(n.height, n.nonce));
    this.sink({
      kind: 'outcome', source: 'pool', height: n.height, nonce: n.nonce, status: n.status,
      reason: n.status === 'orphaned' ? (n.reason ?? 'orphaned by the pool').slice(0, MAX_REASON) : undefined,
    });
  }

  /** Opens the notice's block as a candidate (a vote or outcome may come without its candidate notice); false for a share not submitted so. */
  private open(n: BlockRef, from: PoolUri | undefined, votesNeeded = this.rule.votesNeeded, reward = this.rule.powCredit(n.height)): boolean {
    const submitted = this.submitted.match(n);
    if (!submitted) {
      this.log('debug', `ignoring a pool notice for nonce ${formatNonce(n.nonce)} at height ${n.height}: no such share was submitted`);
      return false;
    }
    const pool = from === undefined ? {} : { pool: describePoolUri(from) };
    this.sink({ kind: 'candidate', source: 'pool', height: n.height, nonce: n.nonce, headerHash: n.headerHash, mixDigest: submitted.mixDigest, votesNeeded, reward, ...pool });
    return true;
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
