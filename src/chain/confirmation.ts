// When a found block counts: the votes it needs under a profile, and the producer's verdict over time.
import { TICKETS_PER_BLOCK, type StakeProfile } from './profile.js';

/** What is known about a found block's draw when judging its votes. */
export interface VoteContext {
  /** False when the ticket tree held fewer than 3 tickets: nothing was drawn, nobody can vote. */
  selectionDrawn?: boolean;
  /** mainnet's NeedTwoVote for the block's height; ignored by seed. Defaults to true. */
  votesRequired?: boolean;
}

/**
 * Votes a block must carry to count: seed 3 (every drawn ticket), mainnet 2 while NeedTwoVote
 * holds, else 0. Nothing is required when no tickets were drawn.
 */
export function requiredVotes(profile: StakeProfile, context: VoteContext = {}): number {
  if (context.selectionDrawn === false) return 0;
  if (profile.name === 'seed') return profile.votesNeeded;
  return context.votesRequired === false ? 0 : profile.votesNeeded;
}

/** Whether a block with `votesReceived` current votes counts under the profile. */
export function isConfirmed(profile: StakeProfile, votesReceived: number, context: VoteContext = {}): boolean {
  return votesReceived >= requiredVotes(profile, context);
}

/** How long a found block waits for its votes. */
export function voteWindowMs(profile: StakeProfile): number {
  return profile.voteWindowMs;
}

export type LotteryStatus = 'pending' | 'confirmed' | 'orphaned';

export interface LotteryProgress extends VoteContext {
  votesReceived: number;
  /** Time since the block's lottery opened. */
  elapsedMs: number;
  /** Another block took the height (or the parent is no longer the head). */
  headMoved?: boolean;
}

/**
 * The producer's decision for a found block. seed publishes with all 3 votes. mainnet follows
 * go-sero's miner: with votes required it waits for all 3 (never publishing with 2, though 2 are
 * valid), otherwise it publishes after a short wait with whatever arrived. Past the window, or
 * once the head moves, the block is orphaned.
 */
export function lotteryStatus(profile: StakeProfile, progress: LotteryProgress): LotteryStatus {
  if (progress.headMoved) return 'orphaned';
  const required = requiredVotes(profile, progress);
  if (progress.selectionDrawn === false || progress.votesReceived >= TICKETS_PER_BLOCK) return 'confirmed';
  if (profile.name === 'mainnet' && required === 0) {
    return progress.elapsedMs >= profile.optionalVoteWaitMs ? 'confirmed' : 'pending';
  }
  return progress.elapsedMs > profile.voteWindowMs ? 'orphaned' : 'pending';
}
