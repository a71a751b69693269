// The chain rule profiles `seed` and `mainnet` (chain-profiles.md): windows, vote window, pledge, rewards.
import { sero } from '../util/sero-amount.js';
import { SIP7_HEIGHT } from './forks.js';
import { SERO_TICKET_PRICING, type TicketPricing } from './ticket-pricing.js';

export type ProfileName = 'seed' | 'mainnet';
export const PROFILE_NAMES: readonly ProfileName[] = ['seed', 'mainnet'];
export const DEFAULT_PROFILE: ProfileName = 'seed';

/** Tickets drawn for every found block, in both profiles. */
export const TICKETS_PER_BLOCK = 3;

/**
 * `devnet` scales every window down to blocks (as go-sero's `--dev` does) so a ticket's whole
 * life fits in a demo; `real` keeps the mainnet lengths.
 */
export type TimeScale = 'devnet' | 'real';

/** Rule windows, all in blocks. */
export interface StakeWindows {
  /** An unselected ticket expires this many blocks after purchase; its principal is refunded. */
  readonly outOfDate: number;
  /** A selected ticket whose vote was never rewarded is written off this many blocks after purchase. */
  readonly missVoted: number;
  /** Settlement cadence: accrued income is paid at most once per window. */
  readonly pay: number;
  /** Minimum StakingNode age before its pledge can return (mainnet: before it may close). */
  readonly locking: number;
  /** Span of the missed-vote statistics (seed: node penalty; mainnet: NeedTwoVote). */
  readonly statistics: number;
}

export const REAL_WINDOWS: StakeWindows = Object.freeze({
  outOfDate: 198_720,
  missVoted: 596_160,
  pay: 42_336,
  locking: 198_720,
  statistics: 6_048,
});

/** chain-profiles.md "Devnet time scale"; missVoted is go-sero's dev value. */
export const DEVNET_WINDOWS: StakeWindows = Object.freeze({
  outOfDate: 100,
  missVoted: 105,
  pay: 5,
  locking: 10,
  statistics: 10,
});

interface ProfileBase {
  readonly name: ProfileName;
  readonly timeScale: TimeScale;
  readonly windows: StakeWindows;
  /** First height with staking (go-sero's SIP4). */
  readonly stakingStartHeight: number;
  /** How long a found block waits for its votes before it is orphaned. */
  readonly voteWindowMs: number;
  /** Votes that confirm a block when votes are required (chain/confirmation.ts). */
  readonly votesNeeded: number;
  /** Exact StakingNode registration pledge. */
  readonly pledge: bigint;
  readonly pricing: TicketPricing;
}

/** seed-staking-design.md as chain-profiles.md states it. */
export interface SeedProfile extends ProfileBase {
  readonly name: 'seed';
  /** Block reward R split 5/8 miner, 2/8 voters, 1/8 StakingNodes; a multiple of 24 ta. */
  readonly blockReward: bigint;
  /** A StakingNode missing more than this share of its selections loses its 1/8 part. */
  readonly penaltyMissPercent: number;
}

/** What go-sero enforces (stake-mainnet.md). */
export interface MainnetProfile extends ProfileBase {
  readonly name: 'mainnet';
  /** How long the producer waits for votes that are not required. */
  readonly optionalVoteWaitMs: number;
  /** NeedTwoVote is off while the tree holds fewer tickets than this. */
  readonly minPoolTicketsForVotes: number;
  /** NeedTwoVote is off while more than this share of recent votes was missed. */
  readonly voteOptionalMissPercent: number;
  /** Height of the extra halving (go-sero's SIP7). */
  readonly sip7Height: number;
  /** Node fee bounds in 1/10000, enforced by policy (RPC/mempool), not by block rules. */
  readonly feeRateRange: readonly [number, number];
}

export type StakeProfile = SeedProfile | MainnetProfile;

export interface ProfileOptions {
  timeScale?: TimeScale;
  windows?: Partial<StakeWindows>;
  stakingStartHeight?: number;
  voteWindowMs?: number;
  pledge?: bigint;
  /** seed only. */
  blockReward?: bigint;
}

/**
 * How long a found block waits for its votes unless told otherwise. A wall-clock time, not a
 * window in blocks, so the devnet time scale leaves it alone: a block still waiting holds nothing
 * up (another solution for the height draws other tickets and may win first), and the devnet then
 * times out exactly as the miner expects of a real pool. `--vote-window` shortens it for demos.
 */
export const DEFAULT_VOTE_WINDOW_MS: Readonly<Record<ProfileName, number>> = Object.freeze({
  // The staking design: "configurable, default 5 min on a real clock" (chain-profiles.md).
  seed: 5 * 60_000,
  // go-sero's miner gives up on a block's votes after 5 minutes (stake-mainnet.md 3.3, Lotter.wait).
  mainnet: 5 * 60_000,
});

const DEFAULT_SEED_BLOCK_REWARD = sero(72);
const POOL_PLEDGE = sero(200_000);

export function createProfile(name: ProfileName, options: ProfileOptions = {}): StakeProfile {
  const timeScale = options.timeScale ?? 'devnet';
  const base = {
    timeScale,
    windows: Object.freeze({ ...(timeScale === 'devnet' ? DEVNET_WINDOWS : REAL_WINDOWS), ...options.windows }),
    stakingStartHeight: options.stakingStartHeight ?? 0,
    voteWindowMs: options.voteWindowMs ?? DEFAULT_VOTE_WINDOW_MS[name],
    pledge: options.pledge ?? POOL_PLEDGE,
    pricing: SERO_TICKET_PRICING,
  };
  let profile: StakeProfile;
  if (name === 'seed') {
    profile = { name, ...base, votesNeeded: TICKETS_PER_BLOCK, blockReward: options.blockReward ?? DEFAULT_SEED_BLOCK_REWARD, penaltyMissPercent: 20 };
  } else if (name === 'mainnet') {
    if (options.blockReward !== undefined) {
      throw new Error('mainnet derives its block reward from the PoW formula; blockReward is seed-only');
    }
    profile = {
      name,
      ...base,
      // go-sero's NeedTwoVote: 2 of the 3 drawn tickets
      votesNeeded: 2,
      optionalVoteWaitMs: 1_000,
      minPoolTicketsForVotes: timeScale === 'devnet' ? 20 : 20_000,
      voteOptionalMissPercent: 20,
      sip7Height: SIP7_HEIGHT,
      feeRateRange: [2_500, 7_500],
    };
  } else {
    throw new Error(`unknown profile "${String(name)}"; expected one of ${PROFILE_NAMES.join(', ')}`);
  }
  validateProfile(profile);
  return Object.freeze(profile);
}

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

function validateProfile(profile: StakeProfile): void {
  for (const [key, value] of Object.entries(profile.windows)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`window ${key} must be a positive integer, got ${value}`);
  }
  if (!Number.isSafeInteger(profile.stakingStartHeight) || profile.stakingStartHeight < 0) {
    throw new RangeError('stakingStartHeight must be a non-negative integer');
  }
  if (profile.windows.missVoted < profile.windows.outOfDate) {
    // A ticket must leave the tree (expire) before its share can be written off as finished.
    throw new RangeError('the missVoted window must not be shorter than the outOfDate window');
  }
  if (!(profile.voteWindowMs > 0)) throw new RangeError('voteWindowMs must be positive');
  if (profile.pledge <= 0n) throw new RangeError('pledge must be positive');
  if (profile.name === 'seed' && (profile.blockReward <= 0n || profile.blockReward % 24n !== 0n)) {
    // 5/8, 2/8 ÷ 3 and 1/8 ÷ 3 of R are exact only for multiples of 24 ta.
    throw new RangeError(`seed blockReward must be a positive multiple of 24 ta, got ${profile.blockReward}`);
  }
}

/** JSON form of a profile (amounts as decimal ta strings). */
export interface ProfileJson {
  name: ProfileName;
  timeScale: TimeScale;
  windows: StakeWindows;
  stakingStartHeight: number;
  voteWindowMs: number;
  pledge: string;
  blockReward?: string;
}

export function profileToJson(profile: StakeProfile): ProfileJson {
  return {
    name: profile.name,
    timeScale: profile.timeScale,
    windows: { ...profile.windows },
    stakingStartHeight: profile.stakingStartHeight,
    voteWindowMs: profile.voteWindowMs,
    pledge: profile.pledge.toString(),
    ...(profile.name === 'seed' ? { blockReward: profile.blockReward.toString() } : {}),
  };
}

export function profileFromJson(json: ProfileJson): StakeProfile {
  return createProfile(json.name, {
    timeScale: json.timeScale,
    windows: json.windows,
    stakingStartHeight: json.stakingStartHeight,
    voteWindowMs: json.voteWindowMs,
    pledge: BigInt(json.pledge),
    ...(json.blockReward !== undefined ? { blockReward: BigInt(json.blockReward) } : {}),
  });
}
