// A profile's values in force, in words and SERO, for the start-up banner and the devnet's RPC.
import { formatSero } from '../util/sero-amount.js';
import { TICKETS_PER_BLOCK, type StakeProfile } from './profile.js';
import { seedRewardSplit } from './rewards.js';

/** Every value of the profile, amounts in SERO. */
export function describeProfile(profile: StakeProfile): Record<string, string | number> {
  const common = {
    profile: profile.name,
    timeScale: profile.timeScale,
    ticketsDrawnPerBlock: TICKETS_PER_BLOCK,
    voteWindowSeconds: profile.voteWindowMs / 1000,
    outOfDateWindow: profile.windows.outOfDate,
    missVotedWindow: profile.windows.missVoted,
    payWindow: profile.windows.pay,
    lockingWindow: profile.windows.locking,
    statisticsWindow: profile.windows.statistics,
    stakingStartHeight: profile.stakingStartHeight,
    pledgeSero: formatSero(profile.pledge),
    ticketBasePriceSero: formatSero(profile.pricing.basePrice),
    ticketPriceStepSero: formatSero(profile.pricing.priceStep),
  };
  if (profile.name === 'seed') {
    const split = seedRewardSplit(profile);
    return {
      ...common,
      votesNeeded: `${profile.votesNeeded} of ${TICKETS_PER_BLOCK}`,
      blockRewardSero: formatSero(profile.blockReward),
      minerPartSero: formatSero(split.miner),
      voterPartPerVoteSero: formatSero(split.voterPerVote),
      nodePartPerVoteSero: formatSero(split.nodePerVote),
      nodePenaltyAboveMissPercent: profile.penaltyMissPercent,
    };
  }
  return {
    ...common,
    votesNeeded: `${profile.votesNeeded} of ${TICKETS_PER_BLOCK} while NeedTwoVote holds, else 0`,
    minPoolTicketsForVotes: profile.minPoolTicketsForVotes,
    votesOptionalAboveMissPercent: profile.voteOptionalMissPercent,
    nodeFeeRange: `${profile.feeRateRange[0]}..${profile.feeRateRange[1]} / 10000`,
  };
}
