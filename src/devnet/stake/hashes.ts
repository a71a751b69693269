// The staking layer's hashes: keccak256, HashPos (the seed of a block's draw) and the message a vote signs.
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesTo0x, hexToBytes, type Hex } from '../../util/hex.js';
import { concatBytes, uint64BE } from '../../util/bytes.js';

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

export function keccak256Hex(data: Uint8Array | string): Hex {
  return bytesTo0x(keccak_256(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

/** `HashPos = keccak256(mixDigest ‖ nonce[8, big-endian])`: the seed of a block's ticket draw. */
export function hashPos(mixDigest: Hex, nonce: Hex | bigint): Hex {
  const nonceBytes = typeof nonce === 'bigint' ? uint64BE(nonce) : hexToBytes(nonce, 8);
  return bytesTo0x(keccak_256(concatBytes(hexToBytes(mixDigest, 32), nonceBytes)));
}

/**
 * The message a vote signs: `keccak256(HashPos(N) ‖ HashPos(N-1) ‖ [0x01 for a pool vote])`.
 * The parent's HashPos binds the vote to one chain.
 */
export function stakeHash(posHash: Hex, parentPosHash: Hex, isPool: boolean): Uint8Array {
  const parts = [hexToBytes(posHash, 32), hexToBytes(parentPosHash, 32)];
  if (isPool) parts.push(Uint8Array.of(1));
  return keccak_256(concatBytes(...parts));
}
