// Signing a vote for a drawn ticket and checking its signature.
import { stakeHash } from './hashes.js';
import type { Hex } from '../../util/hex.js';
import type { Vote } from './types.js';
import { signMessage, verifySignature } from './vote-keys.js';

/** Signs a vote for one drawn ticket with the voter's secret; `random` seeds the signature's nonce where a run must replay. */
export function signVote(secret: Hex, unsigned: Omit<Vote, 'signature'>, parentPosHash: Hex, random?: Uint8Array): Vote {
  return { ...unsigned, signature: signMessage(secret, stakeHash(unsigned.posHash, parentPosHash, unsigned.isPool), random) };
}

/** Signature check alone (who may sign is the chain's business: `StakeChain.verifyVote`). */
export function verifyVoteSignature(vote: Vote, parentPosHash: Hex, voteKey: Hex): boolean {
  return verifySignature(voteKey, stakeHash(vote.posHash, parentPosHash, vote.isPool), vote.signature);
}
