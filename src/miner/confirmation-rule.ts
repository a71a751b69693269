// The miner's view of a chain profile: how many votes confirm a block, how long to wait for
// them, and what the PoW part earns when the pool or node does not say.
import { createProfile, type ProfileName } from '../chain/profile.js';
import { requiredVotes, voteWindowMs } from '../chain/confirmation.js';
import { powCredit } from '../chain/rewards.js';
import type { ConfirmationRule } from './block-tracker.js';

export function confirmationRule(profileName: ProfileName): ConfirmationRule {
  const profile = createProfile(profileName, { timeScale: 'real' });
  return {
    votesNeeded: requiredVotes(profile),
    windowMs: voteWindowMs(profile),
    // mainnet's PoW reward depends on the block's difficulty: the pool or node states it
    powCredit: (height) => powCredit(profile, height) ?? 0n,
  };
}
