// Block templates: the header the devnet hands out as work for the next height, and the
// genesis anchor the first mined block builds on.
import { BLOOM_BYTES, COINBASE_BYTES, sealHash, type SealedHeader } from '../../pow/header.js';
import { keccak256 } from '../../pow/keccak.js';
import { difficultyToTarget } from '../../pow/target.js';
import { hashPos } from '../stake/hashes.js';
import { hexToBytes, ZERO_HASH } from '../../util/hex.js';
import type { TxResult } from '../stake/types.js';
import type { ChainBlock } from './block.js';
import { genesisParentHash } from './ancestry.js';

/** Root of an empty Merkle-Patricia trie: the devnet's blocks carry no transactions or state trie. */
const EMPTY_TRIE_ROOT = hexToBytes('56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
const GAS_LIMIT = 8_000_000n;
const EXTRA_DATA = new TextEncoder().encode('sero-devnet');

export interface BlockTemplate {
  readonly header: SealedHeader;
  /** The seal hash ("HashPow"): the work's header hash. */
  readonly sealHash: Uint8Array;
  readonly height: number;
  readonly difficulty: bigint;
  /** floor(2^256 / D): a solution at or below it is a block candidate (pow.md 6.3). */
  readonly blockTarget: bigint;
}

/** A 96-byte SERO coinbase for a devnet account name (devnet accounts are not real PKrs). */
export function coinbaseFor(account: string): Uint8Array {
  const first = keccak256(new TextEncoder().encode(`sero-devnet/coinbase/${account}`));
  const second = keccak256(first);
  const third = keccak256(second);
  const out = new Uint8Array(COINBASE_BYTES);
  out.set(first, 0);
  out.set(second, 32);
  out.set(third, 64);
  return out;
}

export function buildTemplate(parent: ChainBlock, parentHash: Uint8Array, timestamp: bigint, difficulty: bigint, coinbase: Uint8Array): BlockTemplate {
  const header: SealedHeader = {
    parentHash,
    coinbase,
    stateRoot: parent.header.stateRoot,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: new Uint8Array(BLOOM_BYTES),
    difficulty,
    number: parent.header.number + 1n,
    gasLimit: GAS_LIMIT,
    gasUsed: 0n,
    timestamp,
    extraData: EXTRA_DATA,
  };
  return { header, sealHash: sealHash(header), height: Number(header.number), difficulty, blockTarget: difficultyToTarget(difficulty) };
}

/** Account the genesis block's stake transactions and reward are booked to. */
export const GENESIS_ACCOUNT = 'devnet-genesis';

/**
 * The anchor below the first mined height: never mined, identical for every devnet started
 * with the same height, difficulty and time; its parent is the top of the synthetic ancestry.
 */
export function genesisBlock(firstHeight: number, difficulty: bigint, timestamp: bigint, coinbase: Uint8Array, txResults: readonly TxResult[], chainSeed: Uint8Array): ChainBlock {
  const header: SealedHeader = {
    parentHash: genesisParentHash(firstHeight - 1, chainSeed),
    coinbase,
    stateRoot: EMPTY_TRIE_ROOT,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: new Uint8Array(BLOOM_BYTES),
    difficulty,
    number: BigInt(firstHeight - 1),
    gasLimit: GAS_LIMIT,
    gasUsed: 0n,
    timestamp,
    extraData: EXTRA_DATA,
  };
  return {
    header,
    mixDigest: new Uint8Array(32),
    nonce: 0n,
    currentVotes: [],
    parentVotes: [],
    // Like every block's: keccak256(mixDigest ‖ nonce), here of a zero mix and nonce.
    posHash: hashPos(ZERO_HASH, 0n),
    selection: [],
    finder: GENESIS_ACCOUNT,
    addedAt: Number(timestamp) * 1000,
    txResults,
  };
}
