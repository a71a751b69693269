// One block candidate waiting for its PoS votes: the voters' answers arrive on timers, each is
// verified by the stake layer, and the owner is told when the profile's rule decides.
import { bytesTo0x, type Hex } from '../util/hex.js';
import type { SubmitContext } from '../net/server/provider.js';
import type { LotteryStatus } from '../chain/confirmation.js';
import type { StakeProfile } from '../chain/profile.js';
import { VoteCollector, type Lottery } from './stake/lottery.js';
import type { PlannedVote } from './stake/population.js';
import type { Vote } from './stake/types.js';
import type { VoteCheck } from './stake/vote-rules.js';
import type { BlockTemplate } from './chain/template.js';
import type { CandidateInfo } from './events.js';

export interface CandidateSolution {
  readonly template: BlockTemplate;
  readonly nonce: bigint;
  readonly mixDigest: Uint8Array;
  readonly posHash: Hex;
  /** Account credited with the miner's part. */
  readonly finder: string;
  readonly context: SubmitContext;
}

export interface CandidateHooks {
  /** A vote passed verification and was counted. */
  onVote(candidate: Candidate, vote: Vote): void;
  /** A vote that arrived after the candidate was decided (mainnet may carry it as a parent vote). */
  onLateVote(candidate: Candidate, vote: Vote): void;
  onRejectedVote(candidate: Candidate, vote: Vote, reason: string): void;
  /** The rule decided: confirmed (the owner appends it) or orphaned (the window passed). */
  onDecision(candidate: Candidate, status: Exclude<LotteryStatus, 'pending'>): void;
}

export interface CandidateSettings {
  readonly profile: StakeProfile;
  readonly lottery: Lottery;
  readonly verify: (vote: Vote) => VoteCheck;
  readonly now: () => number;
  readonly hooks: CandidateHooks;
}

/** Slack after a deadline so the rule, which compares elapsed time strictly, sees it passed. */
const DEADLINE_SLACK_MS = 5;

export class Candidate {
  readonly collector: VoteCollector;
  readonly openedAt: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private decided = false;

  constructor(readonly solution: CandidateSolution, private readonly settings: CandidateSettings) {
    this.openedAt = settings.now();
    this.collector = new VoteCollector({ profile: settings.profile, lottery: settings.lottery, openedAtMs: this.openedAt, verify: settings.verify });
  }

  get lottery(): Lottery {
    return this.collector.lottery;
  }

  get height(): number {
    return this.solution.template.height;
  }

  get settled(): boolean {
    return this.decided;
  }

  describe(): CandidateInfo {
    const { solution, lottery } = this;
    return {
      height: this.height,
      headerHash: bytesTo0x(solution.template.sealHash),
      nonce: solution.nonce,
      posHash: solution.posHash,
      finder: solution.finder,
      tickets: lottery.tickets.length,
      requiredVotes: lottery.requiredVotes,
    };
  }

  /** Schedules the voters' answers and the deadlines, then checks at once (no tickets drawn: no votes needed). */
  start(planned: readonly PlannedVote[]): void {
    for (const { delayMs, vote } of planned) this.after(delayMs, () => this.deliver(vote));
    const { profile } = this.settings;
    this.after(profile.voteWindowMs + DEADLINE_SLACK_MS, () => this.evaluate());
    if (profile.name === 'mainnet' && !this.lottery.votesRequired) this.after(profile.optionalVoteWaitMs + DEADLINE_SLACK_MS, () => this.evaluate());
    this.evaluate();
  }

  /** Marks it decided and cancels every pending delivery. */
  settle(): void {
    this.decided = true;
    this.cancelTimers();
  }

  /** Stops the deadlines but lets pending votes arrive (mainnet late votes). */
  settleKeepingVotes(): void {
    this.decided = true;
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private deliver(vote: Vote): void {
    if (this.decided) {
      this.settings.hooks.onLateVote(this, vote);
      return;
    }
    const offered = this.collector.offer(vote, this.settings.now());
    if (!offered.accepted) {
      this.settings.hooks.onRejectedVote(this, vote, offered.reason);
      return;
    }
    this.settings.hooks.onVote(this, vote);
    this.evaluate();
  }

  private evaluate(): void {
    if (this.decided) return;
    const status = this.collector.status(this.settings.now());
    if (status !== 'pending') this.settings.hooks.onDecision(this, status);
  }

  private after(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }
}
