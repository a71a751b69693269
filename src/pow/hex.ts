// Strict hex parsing for everything that comes from users, pools and nodes.

export class HexError extends Error {}

/** Parse "0x" + exactly 2*bytes hex digits (the prefix is optional unless required). */
export function parseHexBytes(text: string, bytes: number, name = 'value', requirePrefix = false): Uint8Array {
  if (typeof text !== 'string') throw new HexError(`${name}: expected a hex string`);
  const hasPrefix = text.startsWith('0x') || text.startsWith('0X');
  if (requirePrefix && !hasPrefix) throw new HexError(`${name}: expected 0x followed by ${bytes * 2} hex digits`);
  const digits = hasPrefix ? text.slice(2) : text;
  if (digits.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new HexError(`${name}: expected ${hasPrefix ? '0x followed by ' : ''}${bytes * 2} hex digits, got ${JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text)}`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export function toHex(bytes: Uint8Array, prefix = true): string {
  return (prefix ? '0x' : '') + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A u64 as "0x" + 16 hex digits (big-endian), the nonce format of getwork and stratum. */
export function u64ToHex(value: bigint): string {
  return '0x' + value.toString(16).padStart(16, '0');
}

export const U64_MAX = (1n << 64n) - 1n;

/** A u64 given as decimal or 0x-hex. */
export function parseU64(text: string, name = 'value'): bigint {
  const t = String(text).trim();
  if (!/^(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(t)) throw new HexError(`${name}: expected a decimal or 0x-hex 64-bit number, got ${JSON.stringify(t)}`);
  const v = BigInt(t);
  if (v > U64_MAX) throw new HexError(`${name}: ${t} does not fit in 64 bits`);
  return v;
}

/** A block height as decimal or 0x-hex, within JavaScript's exact integer range. */
export function parseHeight(text: string | number, name = 'height'): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text >= 0) return text;
    throw new HexError(`${name}: invalid height ${text}`);
  }
  const v = parseU64(text, name);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HexError(`${name}: ${text} is too large`);
  return Number(v);
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(toHex(bytes));
}

export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * length)) throw new RangeError(`${value} does not fit in ${length} bytes`);
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex'));
}

/** Little-endian u32 view of bytes (copying when unaligned). */
export function wordsLE(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.length >>> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}

export function bytesLE(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]!, true);
  return out;
}
