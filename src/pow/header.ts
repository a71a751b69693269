// SERO's header seal hash "HashPow" (pow.md 6.1): keccak256 of the RLP of the 12 sealed fields.
// Licence, mix digest, nonce and the vote lists are not sealed.
import { keccak256 } from './keccak.js';
import { rlpEncode, rlpUint, type RlpItem } from './rlp.js';

/** SERO addresses are 96 bytes. */
export const COINBASE_BYTES = 96;
export const BLOOM_BYTES = 256;

export interface SealedHeader {
  parentHash: Uint8Array;
  coinbase: Uint8Array;
  stateRoot: Uint8Array;
  transactionsRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  logsBloom: Uint8Array;
  difficulty: bigint;
  number: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  timestamp: bigint;
  extraData: Uint8Array;
}

function checkLength(name: string, bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length !== length) throw new RangeError(`${name} must be ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** The 12 sealed fields as RLP items, in order; the block hash extends this list. */
export function sealFields(h: SealedHeader): RlpItem[] {
  return [
    checkLength('parentHash', h.parentHash, 32),
    checkLength('coinbase', h.coinbase, COINBASE_BYTES),
    checkLength('stateRoot', h.stateRoot, 32),
    checkLength('transactionsRoot', h.transactionsRoot, 32),
    checkLength('receiptsRoot', h.receiptsRoot, 32),
    checkLength('logsBloom', h.logsBloom, BLOOM_BYTES),
    rlpUint(h.difficulty),
    rlpUint(h.number),
    rlpUint(h.gasLimit),
    rlpUint(h.gasUsed),
    rlpUint(h.timestamp),
    h.extraData,
  ];
}

export function sealRlp(h: SealedHeader): Uint8Array {
  return rlpEncode(sealFields(h));
}

export function sealHash(h: SealedHeader): Uint8Array {
  return keccak256(sealRlp(h));
}
