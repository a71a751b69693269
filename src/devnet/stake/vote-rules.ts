// Which tickets are drawn, whether votes are required, and whether a vote or a block's votes are valid.
import { requiredVotes } from '../../chain/confirmation.js';
import { stakeHash } from './hashes.js';
import type { Hex } from '../../util/hex.js';
import { drawTicketIndices } from './prng.js';
import type { StakeState } from './state.js';
import { StakeRuleError, type SelectedTicket, type StakeBlock, type Vote } from './types.js';
import { verifySignature } from './vote-keys.js';

export type VoteCheck = { ok: true } | { ok: false; reason: string };

const reject = (reason: string): VoteCheck => ({ ok: false, reason });
const ACCEPT: VoteCheck = { ok: true };

export function isStakingActive(state: StakeState, height: number): boolean {
  return height >= state.profile.stakingStartHeight;
}

/** The 3 tickets drawn for the next block from the current tree, in draw order ([] below 3 tickets). */
export function drawSelection(state: StakeState, posHash: Hex): SelectedTicket[] {
  if (!isStakingActive(state, state.nextHeight)) return [];
  return drawTicketIndices(state.tree.size, posHash).map((ticketIndex) => ({
    ticketIndex,
    shareId: state.tree.findByIndex(ticketIndex),
  }));
}

/**
 * mainnet's NeedTwoVote for the next block: past the first statistics window, at most the
 * tolerated share of recent votes missed, and enough tickets in the tree. seed always needs votes.
 */
export function votesRequired(state: StakeState): boolean {
  const { profile } = state;
  if (profile.name === 'seed') return true;
  const window = profile.windows.statistics;
  if (state.nextHeight <= profile.stakingStartHeight + window) return false;
  // missed / (3·W) > percent/100, in integers (exactly what go-sero's float compare decides).
  if (state.missedVotes * 100 > profile.voteOptionalMissPercent * 3 * window) return false;
  return state.tree.size >= profile.minPoolTicketsForVotes;
}

/** Who may sign for the share, and whether the signature is theirs. */
function checkSigner(state: StakeState, vote: Vote, parentPosHash: Hex): VoteCheck {
  const share = state.shares.get(vote.shareId);
  if (!share || share.liveTickets + share.owedVotes === 0) return reject('share has no ticket that could vote');
  let key: Hex | null;
  if (vote.isPool) {
    if (!share.nodeId) return reject('pool vote for a share not delegated to a StakingNode');
    const node = state.nodes.get(share.nodeId);
    if (!node || node.liveTickets + node.owedVotes === 0) return reject('StakingNode cannot vote');
    key = node.voteKey;
  } else {
    key = share.voteKey;
    if (!key) return reject('share delegated its vote to a StakingNode');
  }
  const message = stakeHash(vote.posHash, parentPosHash, vote.isPool);
  return verifySignature(key, message, vote.signature) ? ACCEPT : reject('bad signature');
}

function checkDrawn(selection: readonly SelectedTicket[], vote: Vote): VoteCheck {
  const ticket = selection.find((candidate) => candidate.ticketIndex === vote.ticketIndex);
  if (!ticket) return reject(`ticket ${vote.ticketIndex} was not drawn`);
  return ticket.shareId === vote.shareId ? ACCEPT : reject(`ticket ${vote.ticketIndex} belongs to another share`);
}

/** A vote for the next block against the draw for its posHash. */
export function checkCurrentVote(state: StakeState, vote: Vote, selection: readonly SelectedTicket[]): VoteCheck {
  if (vote.height !== state.nextHeight) return reject(`vote is for height ${vote.height}, not ${state.nextHeight}`);
  const drawn = checkDrawn(selection, vote);
  return drawn.ok ? checkSigner(state, vote, state.parentPosHash) : drawn;
}

/** mainnet: a late vote for the last block, for its child's ParentVotes. */
export function checkParentVote(state: StakeState, vote: Vote): VoteCheck {
  const last = state.lastBlock;
  if (state.profile.name === 'seed') return reject('seed has no late votes');
  if (!last || vote.height !== last.height || vote.posHash !== last.posHash) return reject('not a vote for the parent block');
  if (last.votes.some((current) => current.ticketIndex === vote.ticketIndex)) return reject('ticket already voted in the parent block');
  const drawn = checkDrawn(last.selection, vote);
  return drawn.ok ? checkSigner(state, vote, last.parentPosHash) : drawn;
}

function requireDistinctTickets(votes: readonly Vote[], what: string): void {
  if (new Set(votes.map((vote) => vote.ticketIndex)).size !== votes.length) {
    throw new StakeRuleError(`two ${what} votes for the same ticket`);
  }
}

/** go-sero's CheckVotes with the profile's vote count; throws StakeRuleError. */
export function checkBlockVotes(state: StakeState, block: StakeBlock, selection: readonly SelectedTicket[]): void {
  const votes = block.votes ?? [];
  const parentVotes = block.parentVotes ?? [];
  if (votes.length > 3 || parentVotes.length > 3) throw new StakeRuleError('more than 3 votes in a list');
  const needed = requiredVotes(state.profile, { selectionDrawn: selection.length > 0, votesRequired: votesRequired(state) });
  if (votes.length < needed) throw new StakeRuleError(`block ${block.height} has ${votes.length} votes, needs ${needed}`);
  requireDistinctTickets(votes, 'current');
  requireDistinctTickets(parentVotes, 'parent');
  for (const vote of votes) {
    if (vote.posHash !== block.posHash) throw new StakeRuleError('current vote signs another posHash');
    const check = checkCurrentVote(state, vote, selection);
    if (!check.ok) throw new StakeRuleError(`invalid vote for ticket ${vote.ticketIndex}: ${check.reason}`);
  }
  for (const vote of parentVotes) {
    const check = checkParentVote(state, vote);
    if (!check.ok) throw new StakeRuleError(`invalid parent vote for ticket ${vote.ticketIndex}: ${check.reason}`);
  }
}
