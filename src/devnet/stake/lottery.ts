// A found block's draw and the collector of its votes until the profile's rule decides.
import { lotteryStatus, type LotteryStatus } from '../../chain/confirmation.js';
import type { StakeProfile } from '../../chain/profile.js';
import type { Hex } from '../../util/hex.js';
import type { SelectedTicket, Vote } from './types.js';
import type { VoteCheck } from './vote-rules.js';

export interface LotteryTicket extends SelectedTicket {
  /** StakingNode the share is delegated to, if any. */
  readonly nodeId: Hex | null;
}

/** The draw for a found block: who is asked to vote, and what the block needs. */
export interface Lottery {
  readonly height: number;
  readonly posHash: Hex;
  readonly parentPosHash: Hex;
  /** Tickets in the tree the draw used. */
  readonly treeSize: number;
  /** In draw order; empty when fewer than 3 tickets were in the tree. */
  readonly tickets: readonly LotteryTicket[];
  /** mainnet NeedTwoVote; always true on seed. */
  readonly votesRequired: boolean;
  /** Votes the block must carry to count (isConfirmed's threshold). */
  readonly requiredVotes: number;
}

export type OfferResult = { accepted: true } | { accepted: false; reason: string };

export interface VoteCollectorOptions {
  profile: StakeProfile;
  lottery: Lottery;
  openedAtMs: number;
  /** Usually `chain.verifyVote`. */
  verify: (vote: Vote) => VoteCheck;
}

/** Gathers verified votes for one found block until it is confirmed or orphaned. Takes time as input, keeps no timers. */
export class VoteCollector {
  readonly lottery: Lottery;
  private readonly profile: StakeProfile;
  private readonly openedAtMs: number;
  private readonly verify: (vote: Vote) => VoteCheck;
  private readonly byTicket = new Map<number, Vote>();

  constructor(options: VoteCollectorOptions) {
    this.profile = options.profile;
    this.lottery = options.lottery;
    this.openedAtMs = options.openedAtMs;
    this.verify = options.verify;
  }

  offer(vote: Vote, nowMs: number): OfferResult {
    if (this.status(nowMs) === 'orphaned') return { accepted: false, reason: 'vote window closed' };
    if (vote.height !== this.lottery.height || vote.posHash !== this.lottery.posHash) {
      return { accepted: false, reason: 'vote is for another block' };
    }
    if (this.byTicket.has(vote.ticketIndex)) return { accepted: false, reason: 'ticket already voted' };
    const check = this.verify(vote);
    if (!check.ok) return { accepted: false, reason: check.reason };
    this.byTicket.set(vote.ticketIndex, vote);
    return { accepted: true };
  }

  get votesReceived(): number {
    return this.byTicket.size;
  }

  /** Accepted votes in draw order. */
  votes(): Vote[] {
    return this.lottery.tickets.flatMap((ticket) => this.byTicket.get(ticket.ticketIndex) ?? []);
  }

  status(nowMs: number, headMoved = false): LotteryStatus {
    return lotteryStatus(this.profile, {
      votesReceived: this.byTicket.size,
      elapsedMs: nowMs - this.openedAtMs,
      headMoved,
      selectionDrawn: this.lottery.tickets.length > 0,
      votesRequired: this.lottery.votesRequired,
    });
  }
}
