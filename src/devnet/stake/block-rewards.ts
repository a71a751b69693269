// Mints and books a block's rewards: seed's split of R, mainnet's PoW, team, vote, late-vote and remedy rewards.
import type { MainnetProfile, SeedProfile } from '../../chain/profile.js';
import {
  forfeitsNodePart,
  lateVoteReward,
  poolVoteFee,
  powCredit,
  remedyBonus,
  seedBlockMint,
  seedRewardSplit,
  teamReward,
  voteReward,
  type VoteReward,
} from '../../chain/rewards.js';
import { burnFor, mint, refundToShare, toAccount, toNode, toShare } from './accounting.js';
import { releasePledgeIfDue } from './pledge.js';
import type { Allocation } from './stake-ledger.js';
import type { StakeState } from './state.js';
import type { BlockRecord, StakeBlock, StakingNode, Vote } from './types.js';

/** Account the mainnet team accrual is credited to. */
export const TEAM_ACCOUNT = 'sero:team-reward-pool';

/** Rewards minted when block N itself is accepted. */
export function rewardAcceptedBlock(state: StakeState, block: StakeBlock, votes: readonly Vote[]): void {
  if (state.profile.name === 'seed') rewardSeedBlock(state, state.profile, block, votes);
  else rewardMainnetBlock(state, state.profile, block);
}

/** seed: R is split at confirmation; parts of votes that were not cast are not minted. */
function rewardSeedBlock(state: StakeState, profile: SeedProfile, block: StakeBlock, votes: readonly Vote[]): void {
  const split = seedRewardSplit(profile);
  const minted = seedBlockMint(profile, votes.length);
  const allocations: Allocation[] = [toAccount(block.miner, 'miner', split.miner)];
  for (const vote of votes) {
    const share = state.share(vote.shareId);
    allocations.push(toShare(share, 'voter', split.voterPerVote));
    if (!vote.isPool) {
      allocations.push(burnFor(share, 'share', 'solo-vote-node-part', split.nodePerVote));
      continue;
    }
    const node = state.node(share.nodeId!);
    allocations.push(
      isPenalized(state, profile, node, block.height)
        ? burnFor(node, 'node', 'node-penalty', split.nodePerVote)
        : toNode(node, 'node', split.nodePerVote),
    );
  }
  mint(state, block.height, block.height, 'seed-block', minted, allocations);
}

/** seed: a node that missed more than the tolerated share of its selections in the window loses its part. */
export function isPenalized(state: StakeState, profile: SeedProfile, node: StakingNode, height: number): boolean {
  return forfeitsNodePart(profile, state.nodeStats.window(node.id, height, profile.windows.statistics));
}

/** mainnet: the PoW reward and team accrual do not depend on votes. */
function rewardMainnetBlock(state: StakeState, profile: MainnetProfile, block: StakeBlock): void {
  const pow = powCredit(profile, block.height, block.difficulty ?? 0n);
  mint(state, block.height, block.height, 'pow', pow, [toAccount(block.miner, 'miner', pow)]);
  const team = teamReward(block.height);
  mint(state, block.height, block.height, 'team', team, [toAccount(TEAM_ACCOUNT, 'team', team)]);
}

/**
 * At height N, settle the votes block N−1 carried (its tickets were just taken from the tree):
 * principal back to the owner, and on mainnet the per-vote reward at the tree size of this moment.
 */
export function settleVotes(state: StakeState, height: number, record: BlockRecord): void {
  const { profile } = state;
  if (profile.name === 'seed') {
    for (const vote of record.votes) settleVotedTicket(state, height, vote);
    return;
  }
  const reward = voteReward(profile, record.height, state.tree.size);
  for (const vote of record.votes) {
    settleVotedTicket(state, height, vote);
    mintVoteReward(state, height, record.height, vote, reward, 'vote');
  }
  const late = lateVoteReward(reward);
  for (const vote of record.parentVotes) {
    settleVotedTicket(state, height, vote);
    mintVoteReward(state, height, vote.height, vote, late, 'late-vote');
  }
}

function settleVotedTicket(state: StakeState, height: number, vote: Vote): void {
  const share = state.share(vote.shareId);
  if (share.owedVotes === 0) throw new Error(`share ${share.id} owes no vote`);
  share.owedVotes -= 1;
  if (share.nodeId) {
    const node = state.node(share.nodeId);
    node.owedVotes -= 1;
    if (vote.isPool) node.unvotedSelections -= 1;
    state.touchNode(node, height);
    releasePledgeIfDue(state, height, node);
  }
  refundToShare(state, height, share, 'ticket-voted', share.price);
}

function mintVoteReward(
  state: StakeState,
  height: number,
  votedBlock: number,
  vote: Vote,
  reward: VoteReward,
  reason: 'vote' | 'late-vote',
): void {
  const share = state.share(vote.shareId);
  if (!vote.isPool) {
    mint(state, height, votedBlock, reason, reward.solo, [toShare(share, 'voter', reward.solo)]);
    return;
  }
  const node = state.node(share.nodeId!);
  const cut = poolVoteFee(reward, share.feeRate);
  mint(state, height, votedBlock, reason, reward.total, [toShare(share, 'voter', reward.total - cut), toNode(node, 'node', cut)]);
}

/** mainnet, at height N: the miner of N−1 earns ⌊x/3⌋ per late vote it carried, if N−1 had ≥ 2 current votes. */
export function payRemedy(state: StakeState, height: number, record: BlockRecord): void {
  if (state.profile.name !== 'mainnet' || record.votes.length < 2 || record.parentVotes.length === 0) return;
  const reward = voteReward(state.profile, record.height, state.tree.size);
  for (const vote of record.parentVotes) {
    const bonus = remedyBonus(reward, vote.isPool);
    mint(state, height, record.height, 'remedy', bonus, [toAccount(record.miner, 'remedy', bonus)]);
  }
}
