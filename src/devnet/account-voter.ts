// Votes for tickets and StakingNodes created through the devnet's RPC. Each devnet account has
// a vote key derived from its name, held by the devnet itself (like a wallet on the node), so
// a ticket bought with the account's default key votes whenever it is drawn. A ticket whose
// vote key the devnet does not hold never votes, like an owner whose node is offline.
import { keccak256 } from './stake/hashes.js';
import type { StakeChain } from './stake/stake-chain.js';
import type { Lottery } from './stake/lottery.js';
import type { PlannedVote } from './stake/population.js';
import { voteKeyFromSecret, type VoteKeyPair } from './stake/vote-keys.js';
import { signVote } from './stake/votes.js';

/** The vote key the devnet holds for `account` (deterministic: anyone can derive it, it is a devnet). */
export function accountVoteKey(account: string): VoteKeyPair {
  return voteKeyFromSecret(keccak256(new TextEncoder().encode(`sero-devnet/account-vote-key/${account}`)));
}

export class AccountVoter {
  constructor(private readonly latencyMs: readonly [number, number]) {}

  /** Signed votes for the drawn tickets whose signer is an account key, each with its delay. */
  plannedVotes(lottery: Lottery, chain: StakeChain): PlannedVote[] {
    const planned: PlannedVote[] = [];
    for (const ticket of lottery.tickets) {
      const share = chain.getShare(ticket.shareId);
      if (!share) continue;
      const node = share.nodeId === null ? undefined : chain.getNode(share.nodeId);
      // A delegated ticket is voted by its node; one with its own key may be voted solo.
      const signer = node && node.voteKey === accountVoteKey(node.owner).publicKey
        ? { key: accountVoteKey(node.owner), isPool: true, voter: node.owner }
        : share.voteKey !== null && share.voteKey === accountVoteKey(share.owner).publicKey
          ? { key: accountVoteKey(share.owner), isPool: false, voter: share.owner }
          : undefined;
      if (!signer) continue;
      const vote = signVote(
        signer.key.secret,
        { height: lottery.height, posHash: lottery.posHash, ticketIndex: ticket.ticketIndex, shareId: ticket.shareId, isPool: signer.isPool },
        lottery.parentPosHash,
      );
      planned.push({ delayMs: this.delay(), voter: signer.voter, vote });
    }
    return planned;
  }

  private delay(): number {
    const [low, high] = this.latencyMs;
    return low + Math.floor(Math.random() * (high - low + 1));
  }
}
