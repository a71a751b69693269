// The blocks below the devnet's first one. A devnet starts at a height near 940410, but RPC
// clients look back past it: the official pool's block unlocker reads 16 heights either side of
// every candidate and halts for good on a missing one. Heights 0 up to the genesis anchor get a
// synthetic ancestry: hashes chained into the anchor, one second apart, each of the anchor's
// difficulty. Its hashes come from the chain's own seed (kept in its store), so each devnet's
// block 0, its genesis as clients see it, is its own; they end in their height, so a lookup by
// hash finds them again.
import { BLOOM_BYTES, COINBASE_BYTES } from '../../pow/header.js';
import { keccak256 } from '../../pow/keccak.js';
import { bigIntToBytes, bytesToBigInt, concatBytes } from '../../util/bytes.js';
import { hashPos } from '../stake/hashes.js';
import { bytesTo0x, type Hex } from '../../util/hex.js';
import { height as heightOf, type ChainBlock } from './block.js';

const TAG = new TextEncoder().encode('sero-devnet/ancestor/');
const ZERO_HASH = new Uint8Array(32);
/** Account the ancestors are booked to (none of them was mined). */
export const ANCESTRY_FINDER = 'devnet-ancestry';

/** The hash of the synthetic block at `height` of the chain seeded `seed`: 24 bytes of keccak256, then the height. */
export function ancestorHash(height: number, seed: Uint8Array): Uint8Array {
  const number = bigIntToBytes(BigInt(height), 8);
  return concatBytes(keccak256(concatBytes(TAG, seed, number)).subarray(0, 24), number);
}

/** The height a synthetic block hash of the chain seeded `seed` stands for, or undefined for any other hash. */
export function ancestorHeightOf(hash: Uint8Array, seed: Uint8Array): number | undefined {
  if (hash.length !== 32) return undefined;
  const height = Number(bytesToBigInt(hash.subarray(24)));
  return Number.isSafeInteger(height) && bytesTo0x(ancestorHash(height, seed)) === bytesTo0x(hash) ? height : undefined;
}

/** The synthetic block at `height` below `genesis`; the one right below it has whatever parent hash the genesis names. */
export function ancestorBlock(height: number, genesis: ChainBlock, chainSeed: Uint8Array): { block: ChainBlock; hash: Hex } | undefined {
  const genesisHeight = heightOf(genesis);
  if (!Number.isSafeInteger(height) || height < 0 || height >= genesisHeight) return undefined;
  const hash = height === genesisHeight - 1 ? genesis.header.parentHash : ancestorHash(height, chainSeed);
  const seed = keccak256(concatBytes(TAG, hash));
  const mixDigest = keccak256(seed);
  const nonce = bytesToBigInt(seed.subarray(0, 8));
  const block: ChainBlock = {
    header: {
      ...genesis.header,
      parentHash: height === 0 ? ZERO_HASH : ancestorHash(height - 1, chainSeed),
      coinbase: new Uint8Array(COINBASE_BYTES),
      logsBloom: new Uint8Array(BLOOM_BYTES),
      number: BigInt(height),
      timestamp: genesis.header.timestamp - BigInt(genesisHeight - height),
    },
    mixDigest,
    nonce,
    currentVotes: [],
    parentVotes: [],
    posHash: hashPos(bytesTo0x(mixDigest), nonce),
    selection: [],
    finder: ANCESTRY_FINDER,
    addedAt: Number(genesis.header.timestamp - BigInt(genesisHeight - height)) * 1000,
    txResults: [],
  };
  return { block, hash: bytesTo0x(hash) };
}

/** The parent hash a new genesis anchor at `genesisHeight` names: its synthetic parent. */
export function genesisParentHash(genesisHeight: number, seed: Uint8Array): Uint8Array {
  return genesisHeight === 0 ? ZERO_HASH : ancestorHash(genesisHeight - 1, seed);
}
