// Strict hex codecs for wire values. Every parser names the field it rejects and says what
// it expected, because these messages end up in pool and miner logs.

import { bigIntToBytes, bytesToBigInt, toHex, u64ToHex } from '../pow/hex.js';

export class HexFormatError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'HexFormatError';
  }
}

const LOWER_HEX = /^[0-9a-f]*$/;
const ANY_HEX = /^[0-9a-fA-F]*$/;

export function bytesToHex(bytes: Uint8Array): string {
  return toHex(bytes, false);
}

export function bytesTo0x(bytes: Uint8Array): string {
  return toHex(bytes);
}

/** Hex digits without prefix (any case, even length) to bytes. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !ANY_HEX.test(hex)) throw new HexFormatError('hex', `not an even-length hex string: ${describeValue(hex)}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Short description of an untrusted value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `${JSON.stringify(shown)} (${value.length} chars)`;
}

export interface FixedHexOptions {
  /** Reject A-F (the official pool's regexes are lowercase only). */
  readonly lowercaseOnly?: boolean;
}

/** Parses `0x` + exactly 2*byteLength hex digits. */
export function parseFixedHex(value: unknown, byteLength: number, field: string, options: FixedHexOptions = {}): Uint8Array {
  const digits = byteLength * 2;
  const expected = `0x followed by exactly ${digits} ${options.lowercaseOnly ? 'lowercase ' : ''}hex digits`;
  if (typeof value !== 'string') throw new HexFormatError(field, `expected a string (${expected}), got ${describeValue(value)}`);
  if (!value.startsWith('0x')) throw new HexFormatError(field, `expected ${expected}, got ${describeValue(value)} without 0x prefix`);
  const body = value.slice(2);
  if (body.length !== digits) throw new HexFormatError(field, `expected ${expected}, got ${body.length} digits`);
  if (!(options.lowercaseOnly ? LOWER_HEX : ANY_HEX).test(body)) {
    throw new HexFormatError(field, `expected ${expected}, got non-hex or uppercase characters in ${describeValue(value)}`);
  }
  return new Uint8Array(Buffer.from(body, 'hex'));
}

/** 32-byte hash: `0x` + 64 hex digits. */
export function parseHash32(value: unknown, field: string, options: FixedHexOptions = {}): Uint8Array {
  return parseFixedHex(value, 32, field, options);
}

/** 64-bit nonce: `0x` + 16 hex digits, big-endian. */
export function parseNonce(value: unknown, field = 'nonce', options: FixedHexOptions = {}): bigint {
  return bytesToBigInt(parseFixedHex(value, 8, field, options));
}

export function formatNonce(nonce: bigint): string {
  if (nonce < 0n || nonce >= 1n << 64n) throw new RangeError(`nonce out of 64-bit range: ${nonce}`);
  return u64ToHex(nonce);
}

// big-endian integer codecs are the PoW core's; re-exported so wire code has one hex module
export { bytesToBigInt, bigIntToBytes };

/** `0x` + the value zero-padded to `digits` hex digits (serominer's hashrate format). */
export function formatPaddedHex(value: bigint, digits: number): string {
  const hex = value.toString(16);
  if (value < 0n || hex.length > digits) throw new RangeError(`value does not fit in ${digits} hex digits`);
  return `0x${hex.padStart(digits, '0')}`;
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
    throw new HexFormatError(field, `expected a hex quantity like 0x1c9c380, got ${describeValue(value)}`);
  }
  const body = value.slice(2);
  if (body.length === 0 || body.length > 64 || !ANY_HEX.test(body)) {
    throw new HexFormatError(field, `expected 1 to 64 hex digits after 0x, got ${describeValue(value)}`);
  }
  if (body.length > 1 && body[0] === '0') throw new HexFormatError(field, 'hex number with leading zero digits');
  return BigInt(value);
}

/** Lenient hex number (`0x` + 1..64 digits, zero padding allowed): pools' hashrate values. */
export function parseLooseHexNumber(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new HexFormatError(field, `expected 0x followed by 1 to 64 hex digits, got ${describeValue(value)}`);
  }
  return BigInt(value);
}
