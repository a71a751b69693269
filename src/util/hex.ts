// Hex text codecs for bytes, nonces, u64s and JSON-RPC quantities. Parsers of untrusted text
// name the field they reject and say what they expected: their messages end up in pool logs.
// Plain TypeScript (no Buffer), so the PoW core that uses it also runs in a browser.
import { bytesToHex as digitsOf, hexToBytes as bytesOfDigits } from '@noble/hashes/utils.js';
import { preview } from './escape.js';

/** `0x` + lowercase hex digits, the form every id and hash of the devnet uses. */
export type Hex = string;

export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;

export const U64_MAX = (1n << 64n) - 1n;

/** A malformed hex value; `field` names what it was (`nonce`, `job header hash`, `--target`). */
export class HexError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'HexError';
  }
}

const LOWER_HEX = /^[0-9a-f]*$/;
const ANY_HEX = /^[0-9a-fA-F]*$/;

/** Lowercase hex digits, no prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  return digitsOf(bytes);
}

/** `0x` + lowercase hex digits. */
export function bytesTo0x(bytes: Uint8Array): Hex {
  return `0x${digitsOf(bytes)}`;
}

function hasPrefix(text: string): boolean {
  return text.startsWith('0x') || text.startsWith('0X');
}

/**
 * Hex of trusted or already-typed values (stored records, this node's own ids): `0x` optional,
 * any case, an even number of digits; `byteLength`, when given, is enforced.
 */
export function hexToBytes(hex: string, byteLength?: number, field = 'hex'): Uint8Array {
  const digits = hasPrefix(hex) ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || !ANY_HEX.test(digits)) throw new HexError(field, `not an even-length hex string: ${describeValue(hex)}`);
  if (byteLength !== undefined && digits.length !== byteLength * 2) {
    throw new HexError(field, `expected ${byteLength} bytes of hex, got ${digits.length / 2}`);
  }
  return bytesOfDigits(digits);
}

/** Canonical form (0x + lowercase) of a fixed-size hex value. */
export function normalizeHex(hex: string, byteLength: number, field = 'hex'): Hex {
  return bytesTo0x(hexToBytes(hex, byteLength, field));
}

/** True for exactly `0x` + 2*byteLength lowercase digits. */
export function isHex(value: unknown, byteLength: number): value is Hex {
  return typeof value === 'string' && value.length === 2 + byteLength * 2 && value.startsWith('0x') && LOWER_HEX.test(value.slice(2));
}

/** Short description of an untrusted value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  return `${preview(value.length > 80 ? value.slice(0, 80) : value)}${value.length > 80 ? '…' : ''} (${value.length} chars)`;
}

export interface StrictHexOptions {
  /** Reject A-F (the official pool's regexes are lowercase only). */
  readonly lowercaseOnly?: boolean;
}

/** Untrusted `0x` + exactly 2*byteLength hex digits (wire values, command-line options). */
export function parseHexBytes(value: unknown, byteLength: number, field: string, options: StrictHexOptions = {}): Uint8Array {
  const digits = byteLength * 2;
  const expected = `0x followed by exactly ${digits} ${options.lowercaseOnly ? 'lowercase ' : ''}hex digits`;
  if (typeof value !== 'string') throw new HexError(field, `expected a string (${expected}), got ${describeValue(value)}`);
  if (!value.startsWith('0x')) throw new HexError(field, `expected ${expected}, got ${describeValue(value)} without 0x prefix`);
  const body = value.slice(2);
  if (body.length !== digits) throw new HexError(field, `expected ${expected}, got ${body.length} digits`);
  if (!(options.lowercaseOnly ? LOWER_HEX : ANY_HEX).test(body)) {
    throw new HexError(field, `expected ${expected}, got non-hex or uppercase characters in ${describeValue(value)}`);
  }
  return bytesOfDigits(body);
}

/** 32-byte hash: `0x` + 64 hex digits. */
export function parseHash32(value: unknown, field: string, options: StrictHexOptions = {}): Uint8Array {
  return parseHexBytes(value, 32, field, options);
}

/** 64-bit nonce: `0x` + 16 hex digits, big-endian (getwork and stratum). */
export function parseNonce(value: unknown, field = 'nonce', options: StrictHexOptions = {}): bigint {
  parseHexBytes(value, 8, field, options);
  return BigInt(value as string);
}

/** The one nonce format: `0x` + 16 lowercase hex digits, big-endian. */
export function formatNonce(nonce: bigint): string {
  if (nonce < 0n || nonce > U64_MAX) throw new RangeError(`nonce out of 64-bit range: ${nonce}`);
  return `0x${nonce.toString(16).padStart(16, '0')}`;
}

/** A u64 given as decimal or 0x-hex. */
export function parseU64(text: string, field = 'value'): bigint {
  const t = String(text).trim();
  if (!/^(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(t)) throw new HexError(field, `expected a decimal or 0x-hex 64-bit number, got ${JSON.stringify(t)}`);
  const v = BigInt(t);
  if (v > U64_MAX) throw new HexError(field, `${t} does not fit in 64 bits`);
  return v;
}

/** A block height as decimal or 0x-hex, within JavaScript's exact integer range. */
export function parseHeight(text: string | number, field = 'height'): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text >= 0) return text;
    throw new HexError(field, `invalid height ${text}`);
  }
  const v = parseU64(text, field);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HexError(field, `${text} is too large`);
  return Number(v);
}

/** `0x` + the value zero-padded to `digits` hex digits (serominer's hashrate format). */
export function formatPaddedHex(value: bigint, digits: number): string {
  const hex = value.toString(16);
  if (value < 0n || hex.length > digits) throw new RangeError(`value does not fit in ${digits} hex digits`);
  return `0x${hex.padStart(digits, '0')}`;
}

/** A number as serominer writes its 32-bit hex fields (the API's hashrates): rounded, capped at 2^32 - 1, `0x` + 8 digits. */
export function formatU32Hex(value: number): string {
  return `0x${(Math.min(Math.round(value), 0xffffffff) >>> 0).toString(16).padStart(8, '0')}`;
}

/** Compact JSON-RPC quantity (`0x0`, `0x1c9c380`): what gero's strict parser wants. */
export function formatQuantity(value: bigint | number): string {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError(`quantity must not be negative: ${v}`);
  return `0x${v.toString(16)}`;
}

/** Strict quantity as go-sero parses it: `0x`, 1 to 64 digits, no leading zeros. */
export function parseQuantity(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !value.startsWith('0x')) {
    throw new HexError(field, `expected a hex quantity like 0x1c9c380, got ${describeValue(value)}`);
  }
  const body = value.slice(2);
  if (body.length === 0 || body.length > 64 || !ANY_HEX.test(body)) {
    throw new HexError(field, `expected 1 to 64 hex digits after 0x, got ${describeValue(value)}`);
  }
  if (body.length > 1 && body[0] === '0') throw new HexError(field, 'hex number with leading zero digits');
  return BigInt(value);
}

/** Lenient hex number (`0x` + 1..64 digits, zero padding allowed): hashrates, short job targets. */
export function parseLooseHexNumber(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new HexError(field, `expected 0x followed by 1 to 64 hex digits, got ${describeValue(value)}`);
  }
  return BigInt(value);
}
