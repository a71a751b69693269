// Ids of shares, StakingNodes and stake transactions submitted without a hash.
import { keccak256Hex } from './hashes.js';
import { hexToBytes, type Hex } from '../../util/hex.js';
import { bigIntToBytes, concatBytes, uint32BE, uint64BE } from '../../util/bytes.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Length-prefixed concatenation, so distinct field lists never encode alike. */
function encodeFields(fields: Uint8Array[]): Uint8Array {
  return concatBytes(...fields.flatMap((field) => [uint32BE(field.length), field]));
}

export interface ShareIdentity {
  owner: string;
  voteKey: Hex | null;
  txHash: Hex;
  nodeId: Hex | null;
  price: bigint;
  boughtAt: number;
  initialTickets: number;
  feeRate: number;
}

/**
 * Share id: a hash of the fields fixed at purchase, like go-sero's keccak of their RLP (not byte
 * compatible: devnet addresses and keys are not PKrs). Only its 256-bit order matters for the draw.
 */
export function shareIdOf(identity: ShareIdentity): Hex {
  return keccak256Hex(
    encodeFields([
      utf8('sero-devnet/share'),
      utf8(identity.owner),
      identity.voteKey ? hexToBytes(identity.voteKey, 32) : new Uint8Array(),
      hexToBytes(identity.txHash, 32),
      identity.nodeId ? hexToBytes(identity.nodeId, 32) : new Uint8Array(),
      bigIntToBytes(identity.price, 32),
      uint64BE(BigInt(identity.boughtAt)),
      uint32BE(identity.initialTickets),
      uint32BE(identity.feeRate),
    ]),
  );
}

/** A StakingNode's id: keccak256 of its owner, so one node per owner (go-sero: keccak256(PKr)). */
export function nodeIdOf(owner: string): Hex {
  return keccak256Hex(utf8(owner));
}

/** Hash for a stake transaction submitted without one: unique per block position. */
export function derivedTxHash(height: number, index: number, type: string, from: string): Hex {
  return keccak256Hex(encodeFields([utf8('sero-devnet/stake-tx'), uint64BE(BigInt(height)), uint32BE(index), utf8(type), utf8(from)]));
}
