import { toHex } from '../../pow/hex.js';

/** 0x-prefixed lowercase hex, the form every id and hash in this module uses. */
export type Hex = string;

export function bytesToHex(bytes: Uint8Array): Hex {
  return toHex(bytes);
}

/** Decodes hex with or without 0x; `byteLength` enforces an exact size. */
export function hexToBytes(hex: string, byteLength?: number): Uint8Array {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new SyntaxError(`invalid hex: "${hex}"`);
  if (byteLength !== undefined && digits.length !== byteLength * 2) {
    throw new RangeError(`expected ${byteLength} bytes of hex, got ${digits.length / 2}`);
  }
  return new Uint8Array(Buffer.from(digits, 'hex'));
}

/** Canonical form (0x + lowercase) of a fixed-size hex value. */
export function normalizeHex(hex: string, byteLength: number): Hex {
  return bytesToHex(hexToBytes(hex, byteLength));
}

export function isHex(value: unknown, byteLength: number): value is Hex {
  return typeof value === 'string' && new RegExp(`^0x[0-9a-f]{${byteLength * 2}}$`).test(value);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function uint32BE(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function uint64BE(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;
