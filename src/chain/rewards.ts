// Reward formulas: seed's split of R, mainnet's PoW, vote, late-vote and team rewards, and the PoW credit.
import { TA_PER_SERO } from '../util/sero-amount.js';
import { TICKETS_PER_BLOCK, type MainnetProfile, type SeedProfile, type StakeProfile } from './profile.js';

const TENTH_SERO = TA_PER_SERO / 10n;

/** seed: how R is split (chain-profiles.md); R is a multiple of 24 so every part is exact. */
export interface SeedRewardSplit {
  /** 5/8 R, to the PoW miner once the block is confirmed. */
  miner: bigint;
  /** 2/8 R ÷ 3, to the owner of each drawn ticket whose vote was cast. */
  voterPerVote: bigint;
  /** 1/8 R ÷ 3, to the StakingNode that cast the vote, or burned. */
  nodePerVote: bigint;
}

export function seedRewardSplit(profile: SeedProfile): SeedRewardSplit {
  const reward = profile.blockReward;
  return { miner: (reward * 5n) / 8n, voterPerVote: reward / 12n, nodePerVote: reward / 24n };
}

/** seed: what a confirmed block mints: R less the voter and node parts of the votes not cast. */
export function seedBlockMint(profile: SeedProfile, votesCast: number): bigint {
  const split = seedRewardSplit(profile);
  return profile.blockReward - BigInt(TICKETS_PER_BLOCK - votesCast) * (split.voterPerVote + split.nodePerVote);
}

/** seed: a StakingNode that missed more than the tolerated share of its selections loses its part. */
export function forfeitsNodePart(profile: SeedProfile, tally: { missed: number; selected: number }): boolean {
  return tally.missed * 100 > profile.penaltyMissPercent * tally.selected;
}

const HALVING_START = 3_057_600n;
const HALVING_INTERVAL = 8_294_400n;

/** `k = floor((n − 3,057,600) / 8,294,400) + 1`, never negative for n ≥ 0. */
function halvingEra(height: number): bigint {
  const offset = BigInt(height) - HALVING_START;
  const quotient = offset >= 0n ? offset / HALVING_INTERVAL : -((-offset + HALVING_INTERVAL - 1n) / HALVING_INTERVAL);
  return quotient + 1n;
}

/** go-sero's `Halve(n)`: 2^k, or 2^(k+1) from SIP7 on. */
export function halvingDivisor(profile: MainnetProfile, height: number): bigint {
  const era = halvingEra(height);
  return 2n ** (height >= profile.sip7Height ? era + 1n : era);
}

const VOTE_BASE_REWARD = 105n * TENTH_SERO;
const VOTE_REWARD_STEP = 76_854_301_391_338n;
const VOTE_MAX_REWARD = 356n * TENTH_SERO;

export interface VoteReward {
  /** `T`: a pool vote's reward, split fee/10000 to the node and the rest to the owner. */
  total: bigint;
  /** A solo vote's reward, 3/4 T; the other quarter is never minted. */
  solo: bigint;
}

/** `StakeCurrentReward` for the header at `height` with `treeSize` tickets in the tree. */
export function voteReward(profile: MainnetProfile, height: number, treeSize: number): VoteReward {
  let base = VOTE_BASE_REWARD + VOTE_REWARD_STEP * BigInt(treeSize);
  if (base > VOTE_MAX_REWARD) base = VOTE_MAX_REWARD;
  const total = base / halvingDivisor(profile, height) / 3n;
  return { total, solo: (total * 3n) / 4n };
}

/** mainnet: the StakingNode's fee out of a pool vote's reward `T` (feeRate per 10000); the owner gets the rest. */
export function poolVoteFee(reward: VoteReward, feeRate: number): bigint {
  return (reward.total * BigInt(feeRate)) / 10_000n;
}

/** mainnet: what the miner of a block earns for carrying one late vote, ⌊x/3⌋ of that vote's reward. */
export function remedyBonus(reward: VoteReward, isPool: boolean): bigint {
  return (isPool ? reward.total : reward.solo) / 3n;
}

/** A vote carried by the child block (ParentVotes) earns about 2/3: `x − floor(x/3)`. */
export function lateVoteReward(reward: VoteReward): VoteReward {
  return { total: reward.total - reward.total / 3n, solo: reward.solo - reward.solo / 3n };
}

const POW_SLOPE = 985_347_985_347_985n;
const POW_INTERCEPT = 16_910_256_410_256_400_000n;
const POW_MIN = 176n * TENTH_SERO;
const POW_MAX = 356n * TENTH_SERO;

/** `accumulateRewardsV4` without gas: clamp(a·⌊difficulty/1e9⌋ + b, 17.6, 35.6 SERO) / Halve(n). */
export function powReward(profile: MainnetProfile, height: number, difficulty: bigint): bigint {
  let reward = POW_SLOPE * (difficulty / 1_000_000_000n) + POW_INTERCEPT;
  if (reward < POW_MIN) reward = POW_MIN;
  if (reward > POW_MAX) reward = POW_MAX;
  return reward / halvingDivisor(profile, height);
}

/**
 * The PoW part a confirmed block at `height` credits its finder: seed 5/8 R; mainnet the PoW
 * reward, which depends on the block's difficulty, so without one it is not known here.
 */
export function powCredit(profile: StakeProfile, height: number, difficulty: bigint): bigint;
export function powCredit(profile: StakeProfile, height: number): bigint | undefined;
export function powCredit(profile: StakeProfile, height: number, difficulty?: bigint): bigint | undefined {
  if (profile.name === 'seed') return seedRewardSplit(profile).miner;
  return difficulty === undefined ? undefined : powReward(profile, height, difficulty);
}

/** Per-block team accrual: 35.6/4 SERO / 2^k (no SIP7 extra halving). */
export function teamReward(height: number): bigint {
  return POW_MAX / 4n / 2n ** halvingEra(height);
}
