// The miner's view of a chain profile: how many votes confirm a block, and what its PoW part
// earns when neither the pool nor the node says.
import { createProfile, type ProfileName } from '../chain/profile.js';
import { requiredVotes } from '../chain/confirmation.js';
import { powCredit } from '../chain/rewards.js';
import type { ConfirmationRule } from './block-tracker.js';

export function confirmationRule(profileName: ProfileName): ConfirmationRule {
  const profile = createProfile(profileName, { timeScale: 'real' });
  return {
    votesNeeded: requiredVotes(profile),
    // mainnet's PoW reward depends on the block's difficulty: without it, nothing is promised
    powCredit: (height, difficulty) => (difficulty === undefined ? powCredit(profile, height) : powCredit(profile, height, difficulty)) ?? 0n,
  };
}
