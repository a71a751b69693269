// The block candidates racing for the next height: each runs its lottery, votes are relayed to
// the finder, a decision goes to the node, and on mainnet the head's late votes wait for its child.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../util/log.js';
import { voteWindowMs } from '../chain/confirmation.js';
import { TICKETS_PER_BLOCK } from '../chain/profile.js';
import { powCredit } from '../chain/rewards.js';
import type { AccountVoter } from './account-voter.js';
import { Candidate, type CandidateSolution } from './candidate.js';
import type { CandidateInfo, DevnetEvents } from './events.js';
import type { DevnetState } from './open-state.js';
import { formatNonce, hexToBytes, type Hex } from '../util/hex.js';
import type { Vote } from './stake/types.js';

export interface CandidateBoardSettings {
  readonly state: DevnetState;
  readonly accountVoter: AccountVoter;
  readonly now: () => number;
  readonly log: Logger;
  /** Where the candidate, vote and orphan events go (the node). */
  readonly events: Pick<EventEmitter<DevnetEvents>, 'emit'>;
  /** The candidate's votes met the rule: the node appends its block. */
  readonly onConfirmed: (candidate: Candidate) => void;
}

export interface PendingCandidate {
  readonly info: CandidateInfo;
  readonly votes: Vote[];
  readonly openedAt: number;
}

export class CandidateBoard {
  private readonly candidates = new Map<Hex, Candidate>();
  /** mainnet: votes for the head that came after it was published, for its child's ParentVotes. */
  private lateVotes: Vote[] = [];

  constructor(private readonly settings: CandidateBoardSettings) {}

  has(posHash: Hex): boolean {
    return this.candidates.has(posHash);
  }

  pending(): PendingCandidate[] {
    return [...this.candidates.values()].filter((c) => !c.settled).map((c) => ({ info: c.describe(), votes: c.collector.votes(), openedAt: c.openedAt }));
  }

  /** Draws the candidate's tickets, tells its finder what it waits for, and starts its voters. */
  open(solution: CandidateSolution): void {
    const { state, log, events } = this.settings;
    const { stake, population } = state;
    const lottery = stake.openLottery(solution.posHash);
    const candidate = new Candidate(solution, {
      profile: stake.profile,
      lottery,
      verify: (vote) => stake.verifyVote(vote),
      now: this.settings.now,
      hooks: {
        onVote: (c, vote) => this.onVote(c, vote),
        onLateVote: (c, vote) => this.onLateVote(c, vote),
        onRejectedVote: (c, vote, reason) => log('warn', `vote for block ${c.height} ticket ${vote.ticketIndex} rejected: ${reason}`),
        onDecision: (c, status) => (status === 'confirmed' ? this.settings.onConfirmed(c) : this.orphan(c, 'vote window passed', true)),
      },
    });
    this.candidates.set(solution.posHash, candidate);
    const info = candidate.describe();
    log(
      'info',
      `block candidate at height ${info.height} from ${info.finder} (nonce ${formatNonce(info.nonce)}): ` +
        `${lottery.tickets.length} tickets drawn, ${lottery.requiredVotes} votes needed`,
    );
    events.emit('candidate', info);
    const reward = powCredit(stake.profile, solution.template.height, solution.template.difficulty);
    solution.context.notify({ type: 'candidate', votesNeeded: lottery.requiredVotes, windowMs: voteWindowMs(stake.profile), reward });
    candidate.start([...population.plannedVotes(lottery, stake), ...this.settings.accountVoter.plannedVotes(lottery, stake)]);
  }

  /** The head's late votes that still verify: the next block's ParentVotes. */
  parentVotes(): Vote[] {
    return this.lateVotes.filter((vote) => this.settings.state.stake.verifyVote(vote).ok);
  }

  /** `winner` became the block: every other candidate is orphaned; only the winner's lottery runs on, to deliver late votes. */
  settleHeight(winner: Candidate): void {
    this.lateVotes = [];
    if (this.settings.state.stake.profile.name === 'mainnet') winner.settleKeepingVotes();
    else winner.settle();
    for (const other of this.candidates.values()) {
      if (other !== winner && !other.settled) this.orphan(other, 'another block took the height', false);
    }
    for (const [key, old] of this.candidates) {
      if (old === winner) continue;
      old.cancelTimers();
      this.candidates.delete(key);
    }
  }

  /** Ends a candidate without a block; one whose window passed counts in the StakingNode statistics. */
  orphan(candidate: Candidate, reason: string, windowPassed: boolean): void {
    if (candidate.settled) return;
    const { stake } = this.settings.state;
    candidate.settle();
    this.candidates.delete(candidate.solution.posHash);
    const votes = candidate.collector.votesReceived;
    if (windowPassed && candidate.height === stake.nextHeight) stake.recordExpiredLottery(candidate.solution.posHash, candidate.collector.votes());
    this.settings.log('info', `block candidate at height ${candidate.height} orphaned (${reason}) with ${votes}/${candidate.lottery.requiredVotes} votes`);
    candidate.solution.context.notify({ type: 'outcome', status: 'orphaned', votes, reason });
    this.settings.events.emit('orphan', candidate.describe(), reason, votes);
  }

  /** Stops every candidate (the node closes). */
  closeAll(): void {
    for (const candidate of this.candidates.values()) candidate.settle();
    this.candidates.clear();
  }

  private onVote(candidate: Candidate, vote: Vote): void {
    const votes = candidate.collector.votesReceived;
    this.settings.log('info', `vote ${votes}/${candidate.lottery.tickets.length} for block ${candidate.height} (${vote.isPool ? 'StakingNode' : 'solo'} ticket ${vote.ticketIndex})`);
    candidate.solution.context.notify({ type: 'vote', shareId: hexToBytes(vote.shareId, 32), isPool: vote.isPool, votes });
    this.settings.events.emit('vote', candidate.describe(), vote, votes);
  }

  private onLateVote(candidate: Candidate, vote: Vote): void {
    const { chain, stake } = this.settings.state;
    // Only the head's child may carry a late vote, and only on mainnet (stake-mainnet.md 3.2).
    if (stake.profile.name !== 'mainnet' || candidate.height !== chain.headHeight) return;
    if (chain.head.posHash !== candidate.solution.posHash || this.lateVotes.length >= TICKETS_PER_BLOCK) return;
    if (this.lateVotes.some((late) => late.ticketIndex === vote.ticketIndex)) return;
    if (stake.verifyVote(vote).ok) this.lateVotes.push(vote);
  }
}
