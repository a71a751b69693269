// A devnet block: SERO's header (the 12 sealed fields, mix digest, nonce and the two vote
// lists; stake-mainnet.md 1.4) plus what the devnet records about how it was found.
import { keccak256 } from '../../pow/keccak.js';
import { sealFields, type SealedHeader } from '../../pow/header.js';
import { rlpEncode, type RlpItem } from '../../pow/rlp.js';
import { hexToBytes, type Hex } from '../../util/hex.js';
import { bigIntToBytes } from '../../util/bytes.js';
import { TICKETS_PER_BLOCK } from '../../chain/profile.js';
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

/** The full header as RLP items: sealed fields, mix digest, nonce, and the vote lists when one is non-empty (as go-sero). */
function headerItems(block: Pick<ChainBlock, 'header' | 'mixDigest' | 'nonce' | 'currentVotes' | 'parentVotes'>): RlpItem[] {
  const fields: RlpItem[] = [
    ...sealFields(block.header),
    block.mixDigest,
    bigIntToBytes(block.nonce, 8),
  ];
  if (block.currentVotes.length > 0 || block.parentVotes.length > 0) {
    fields.push([block.currentVotes.map(voteRlp), block.parentVotes.map(voteRlp)]);
  }
  return fields;
}

/**
 * Block hash: keccak256 of the full header RLP. As in go-sero the vote lists are appended only
 * when one of them is non-empty, so the hash depends on the votes and the seal hash does not.
 */
export function blockHash(block: Pick<ChainBlock, 'header' | 'mixDigest' | 'nonce' | 'currentVotes' | 'parentVotes'>): Uint8Array {
  return keccak256(rlpEncode(headerItems(block)));
}

/** go-sero's block `size`: the RLP length of header and transactions (here, the transaction hashes). */
export function blockSize(block: Pick<ChainBlock, 'header' | 'mixDigest' | 'nonce' | 'currentVotes' | 'parentVotes'>, txHashes: readonly Hex[]): number {
  return rlpEncode([headerItems(block), txHashes.map((hash) => hexToBytes(hash, 32))]).length;
}

/**
 * The votes a header carries: each signature once, at most one per ticket drawn. go-sero builds
 * CurrentVotes keyed by signature and its CheckVotes refuses a repeated one. Its signatures are
 * randomized (superzk, as the devnet's), so a share drawn for two tickets signs twice and is
 * listed twice; only the same vote delivered twice collapses here.
 */
export function headerVotes(votes: readonly Vote[]): Vote[] {
  const seen = new Set<string>();
  return votes.filter((vote) => !seen.has(vote.signature) && seen.add(vote.signature) !== undefined).slice(0, TICKETS_PER_BLOCK);
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
