// A devnet block: SERO's header (the 12 sealed fields, mix digest, nonce and the two vote
// lists; stake-mainnet.md 1.4) plus what the devnet records about how it was found.
import { keccak256 } from '../../pow/keccak.js';
import { sealFields, type SealedHeader } from '../../pow/header.js';
import { rlpEncode, type RlpItem } from '../../pow/rlp.js';
import { hexToBytes, type Hex } from '../../util/hex.js';
import { bigIntToBytes } from '../../util/bytes.js';
import type { SelectedTicket, TxResult, Vote } from '../stake/types.js';

export interface ChainBlock {
  readonly header: SealedHeader;
  readonly mixDigest: Uint8Array;
  readonly nonce: bigint;
  /** Votes for this block (at most 3). */
  readonly currentVotes: readonly Vote[];
  /** mainnet: late votes for the parent (at most 3). */
  readonly parentVotes: readonly Vote[];
  /** keccak256(mixDigest ‖ nonce): the seed of the block's ticket draw. */
  readonly posHash: Hex;
  /** The tickets drawn for it. */
  readonly selection: readonly SelectedTicket[];
  /** Account credited with the miner's part (the login that submitted the solution). */
  readonly finder: string;
  /** Wall-clock ms when the block joined the chain. */
  readonly addedAt: number;
  /** Outcome of each stake transaction the block carried, in order. */
  readonly txResults: readonly TxResult[];
}

export const height = (block: ChainBlock): number => Number(block.header.number);

function voteRlp(vote: Vote): RlpItem {
  return [hexToBytes(vote.shareId, 32), vote.isPool ? Uint8Array.of(1) : new Uint8Array(0), hexToBytes(vote.signature, 64)];
}

/**
 * Block hash: keccak256 of the full header RLP. As in go-sero the vote lists are appended only
 * when one of them is non-empty, so the hash depends on the votes and the seal hash does not.
 */
export function blockHash(block: Pick<ChainBlock, 'header' | 'mixDigest' | 'nonce' | 'currentVotes' | 'parentVotes'>): Uint8Array {
  const h = block.header;
  const fields: RlpItem[] = [
    ...sealFields(h),
    block.mixDigest,
    bigIntToBytes(block.nonce, 8),
  ];
  if (block.currentVotes.length > 0 || block.parentVotes.length > 0) {
    fields.push([block.currentVotes.map(voteRlp), block.parentVotes.map(voteRlp)]);
  }
  return keccak256(rlpEncode(fields));
}

/** A vote as go-sero's RPC shows it: the Go struct has no JSON tags, hence the capitals. */
export interface HeaderVoteJson {
  Id: Hex;
  IsPool: boolean;
  Sign: Hex;
}

export function headerVoteJson(vote: Vote): HeaderVoteJson {
  return { Id: vote.shareId, IsPool: vote.isPool, Sign: vote.signature };
}
