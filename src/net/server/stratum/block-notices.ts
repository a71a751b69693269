// The block-vote extension from the pool's end: what the work provider tells about a share that
// is a block (its candidacy, each vote, the outcome) as the sero-votes/1 notice line for the
// session that submitted it.
import type { BlockEvent } from '../provider.js';
import { encodeCandidateNotice, encodeOutcomeNotice, encodeVoteNotice } from '../../wire/vote-extension.js';
import type { WorkPackage } from '../../wire/work.js';

export function blockNoticeLine(event: BlockEvent, work: WorkPackage, nonce: bigint): string {
  const ref = { headerHash: work.headerHash, nonce, height: work.height };
  return event.type === 'candidate'
    ? encodeCandidateNotice({ ...ref, votesNeeded: event.votesNeeded, windowMs: event.windowMs, reward: event.reward })
    : event.type === 'vote'
      ? encodeVoteNotice({ ...ref, shareId: event.shareId, isPool: event.isPool, votes: event.votes })
      : encodeOutcomeNotice({ ...ref, status: event.status, votes: event.votes, blockHash: event.blockHash, reason: event.reason });
}
