// The block-vote extension of the stratum1 dialect (documented in src/net/README.md, above this
// file). After a share that is also a block, the pool tells the submitting session about
// each PoS vote that arrives and about the final outcome. Only sessions that asked for it at
// login receive these messages: serominer answers unknown notifications with an error and
// the official pool disconnects on that (stratum.md 1 and 11.2).
import { bytesTo0x, describeValue, formatNonce, parseHash32, parseNonce } from '../../util/hex.js';
import { isPlainObject } from './json-rpc.js';

/** Token a miner lists in `extensions` on `sero_submitLogin`; the pool echoes it when enabled. */
export const VOTES_EXTENSION = 'sero-votes/1';
export const VOTE_METHOD = 'sero_blockVote';
export const OUTCOME_METHOD = 'sero_blockOutcome';
export const CANDIDATE_METHOD = 'sero_blockCandidate';

/** The block candidate a notice is about: the submitted share. */
export interface BlockRef {
  readonly headerHash: Uint8Array;
  readonly nonce: bigint;
  readonly height: number;
}

export interface VoteNotice extends BlockRef {
  /** 32-byte id of the stake share that voted. */
  readonly shareId: Uint8Array;
  /** Whether the vote came from a stake pool rather than a solo share. */
  readonly isPool: boolean;
  /** Votes counted so far for this block, including this one. */
  readonly votes: number;
}

/** Sent as soon as a share is found to be a block: it now waits for its votes. */
export interface CandidateNotice extends BlockRef {
  /** Votes the block needs to be confirmed under the pool's chain rules. */
  readonly votesNeeded: number;
  /** How long the pool waits for them, in milliseconds. */
  readonly windowMs: number;
  /** The PoW part of the reward (ta) credited to the miner if the block is confirmed. */
  readonly reward: bigint;
}

export type BlockOutcomeStatus = 'confirmed' | 'orphaned';

export interface OutcomeNotice extends BlockRef {
  readonly status: BlockOutcomeStatus;
  /** Current votes the block carried (confirmed) or had gathered when it was dropped. */
  readonly votes: number;
  /** Hash of the block on chain; present when confirmed. */
  readonly blockHash?: Uint8Array;
  /** Why the block was lost (orphaned), for logs. */
  readonly reason?: string;
}

function refFields(ref: BlockRef): Record<string, unknown> {
  return { headerHash: bytesTo0x(ref.headerHash), nonce: formatNonce(ref.nonce), height: ref.height };
}

export function encodeVoteNotice(notice: VoteNotice): string {
  const params = { ...refFields(notice), shareId: bytesTo0x(notice.shareId), isPool: notice.isPool, votes: notice.votes };
  return JSON.stringify({ jsonrpc: '2.0', method: VOTE_METHOD, params });
}

export function encodeCandidateNotice(notice: CandidateNotice): string {
  const params = { ...refFields(notice), votesNeeded: notice.votesNeeded, windowMs: notice.windowMs, reward: notice.reward.toString() };
  return JSON.stringify({ jsonrpc: '2.0', method: CANDIDATE_METHOD, params });
}

export function encodeOutcomeNotice(notice: OutcomeNotice): string {
  const params: Record<string, unknown> = { ...refFields(notice), status: notice.status, votes: notice.votes };
  if (notice.blockHash !== undefined) params.blockHash = bytesTo0x(notice.blockHash);
  if (notice.reason !== undefined) params.reason = notice.reason;
  return JSON.stringify({ jsonrpc: '2.0', method: OUTCOME_METHOD, params });
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${field}: expected a non-negative integer, got ${describeValue(value)}`);
  return value;
}

function decodeRef(params: unknown): { fields: Record<string, unknown>; ref: BlockRef } {
  if (!isPlainObject(params)) throw new Error('params: expected an object');
  return {
    fields: params,
    ref: {
      headerHash: parseHash32(params.headerHash, 'headerHash'),
      nonce: parseNonce(params.nonce, 'nonce'),
      height: count(params.height, 'height'),
    },
  };
}

/** Throws an Error naming the bad field. */
export function decodeVoteNotice(params: unknown): VoteNotice {
  const { fields, ref } = decodeRef(params);
  if (typeof fields.isPool !== 'boolean') throw new Error(`isPool: expected a boolean, got ${describeValue(fields.isPool)}`);
  return { ...ref, shareId: parseHash32(fields.shareId, 'shareId'), isPool: fields.isPool, votes: count(fields.votes, 'votes') };
}

/** Throws an Error naming the bad field. */
export function decodeOutcomeNotice(params: unknown): OutcomeNotice {
  const { fields, ref } = decodeRef(params);
  if (fields.status !== 'confirmed' && fields.status !== 'orphaned') {
    throw new Error(`status: expected "confirmed" or "orphaned", got ${describeValue(fields.status)}`);
  }
  const notice: { -readonly [K in keyof OutcomeNotice]: OutcomeNotice[K] } = { ...ref, status: fields.status, votes: count(fields.votes, 'votes') };
  if (fields.blockHash !== undefined && fields.blockHash !== null) notice.blockHash = parseHash32(fields.blockHash, 'blockHash');
  if (typeof fields.reason === 'string') notice.reason = fields.reason;
  return notice;
}

/** Throws an Error naming the bad field. */
export function decodeCandidateNotice(params: unknown): CandidateNotice {
  const { fields, ref } = decodeRef(params);
  if (typeof fields.reward !== 'string' || !/^[0-9]{1,40}$/.test(fields.reward)) {
    throw new Error(`reward: expected a decimal string, got ${describeValue(fields.reward)}`);
  }
  return { ...ref, votesNeeded: count(fields.votesNeeded, 'votesNeeded'), windowMs: count(fields.windowMs, 'windowMs'), reward: BigInt(fields.reward) };
}
