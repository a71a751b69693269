// Makes a confirmed candidate the next block: the stake rules apply it (votes, transactions,
// rewards), the chain in memory appends it and the mempool empties, all at once.
import { headerVotes, type ChainBlock } from './chain/block.js';
import type { Candidate } from './candidate.js';
import type { DevnetState } from './open-state.js';
import type { StateImage } from './store.js';
import type { LedgerEntry } from './stake/stake-ledger.js';
import type { Vote } from './stake/types.js';

export type AppendResult =
  | { readonly ok: true; readonly block: ChainBlock; readonly entries: LedgerEntry[]; /** Queued transactions the block took (the oldest ones). */ readonly mempoolTaken: number }
  | { readonly ok: false; readonly reason: string };

/** Appends `candidate`'s block carrying `parentVotes` (mainnet's late votes for the head); nothing changes when the stake rules refuse it. */
export function appendCandidate(state: DevnetState, candidate: Candidate, parentVotes: Vote[], now: () => number): AppendResult {
  const { chain, stake, population } = state;
  const { solution } = candidate;
  const votes = candidate.collector.votes();
  const mempoolTaken = state.mempool.length;
  const transactions = [...state.mempool, ...population.purchasesFor(stake)];
  let applied;
  try {
    applied = stake.applyBlock({
      height: solution.template.height,
      posHash: solution.posHash,
      miner: solution.finder,
      difficulty: solution.template.difficulty,
      votes,
      parentVotes,
      transactions,
    });
  } catch (err) {
    return { ok: false, reason: `refused by the stake rules: ${(err as Error).message}` };
  }
  const block: ChainBlock = {
    header: solution.template.header,
    mixDigest: solution.mixDigest,
    nonce: solution.nonce,
    // as go-sero's header: each signature once
    currentVotes: headerVotes(votes),
    parentVotes: headerVotes(parentVotes),
    posHash: solution.posHash,
    selection: applied.selection,
    finder: solution.finder,
    addedAt: now(),
    txResults: applied.txResults,
  };
  chain.append(block);
  state.mempool = [];
  return { ok: true, block, entries: applied.entries, mempoolTaken };
}

/** What the store keeps of the state besides the blocks. */
export function stateImage(state: DevnetState): StateImage {
  return { stake: state.stake.snapshot(), population: state.population.toJson() };
}
