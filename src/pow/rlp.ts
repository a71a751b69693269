// Minimal RLP encoding (Ethereum yellow paper, appendix B) for the header seal hash.
import { bigIntToBytes, concatBytes } from '../util/bytes.js';

export type RlpItem = Uint8Array | RlpItem[];

function lengthPrefix(length: number, offset: number): Uint8Array {
  if (length < 56) return Uint8Array.of(offset + length);
  const lenBytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) lenBytes.unshift(l % 256);
  return Uint8Array.of(offset + 55 + lenBytes.length, ...lenBytes);
}

export function rlpEncode(item: RlpItem): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) return item;
    return concatBytes(lengthPrefix(item.length, 0x80), item);
  }
  const body = concatBytes(...item.map(rlpEncode));
  return concatBytes(lengthPrefix(body.length, 0xc0), body);
}

/** A non-negative integer as its minimal big-endian bytes (0 is the empty string). */
export function rlpUint(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('RLP integers are non-negative');
  if (value === 0n) return new Uint8Array(0);
  return bigIntToBytes(value, Math.ceil(value.toString(16).length / 2));
}
