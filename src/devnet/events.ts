// What the devnet node reports as it runs: new work, block candidates, votes, blocks, orphans, store failures.
import type { ChainBlock } from './chain/block.js';
import type { BlockTemplate } from './chain/template.js';
import type { Hex } from '../util/hex.js';
import type { Vote } from './stake/types.js';

/** A block candidate as the node's events and RPC describe it. */
export interface CandidateInfo {
  readonly height: number;
  readonly headerHash: string;
  readonly nonce: bigint;
  readonly posHash: Hex;
  readonly finder: string;
  readonly tickets: number;
  readonly requiredVotes: number;
}

export interface DevnetEvents {
  work: [template: BlockTemplate];
  candidate: [candidate: CandidateInfo];
  vote: [candidate: CandidateInfo, vote: Vote, votes: number];
  block: [block: ChainBlock, hash: string];
  orphan: [candidate: CandidateInfo, reason: string, votes: number];
  error: [error: Error];
}
