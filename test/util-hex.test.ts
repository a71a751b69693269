// The shared hex and byte codecs: which form each function writes, what each parser accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigIntToBytes, bytesToBigInt, concatBytes, uint32BE, uint64BE } from '../src/util/bytes.js';
import { bytesTo0x, bytesToHex, HexError, hexToBytes, isHex, normalizeHex, parseHexBytes, parseU64 } from '../src/util/hex.js';

const BYTES = Uint8Array.of(0x00, 0xab, 0x10, 0xff);

test('bytesToHex writes bare lowercase digits, bytesTo0x the 0x form', () => {
  assert.equal(bytesToHex(BYTES), '00ab10ff');
  assert.equal(bytesTo0x(BYTES), '0x00ab10ff');
  assert.equal(bytesTo0x(new Uint8Array(0)), '0x');
  // a view into a larger buffer is written from its own offset
  assert.equal(bytesToHex(Uint8Array.of(1, 2, 3, 4).subarray(1, 3)), '0203');
});

test('hexToBytes: 0x optional, any case, exact size when asked; errors are HexErrors naming the field', () => {
  assert.deepEqual(hexToBytes('0x00AB10ff'), BYTES);
  assert.deepEqual(hexToBytes('00ab10ff', 4), BYTES);
  assert.throws(() => hexToBytes('0xabc'), (err: unknown) => err instanceof HexError && err.field === 'hex' && /even-length/.test(err.message));
  assert.throws(() => hexToBytes('0xzz'), HexError);
  assert.throws(() => hexToBytes('0xabcd', 32, 'posHash'), (err: unknown) => err instanceof HexError && err.message === 'posHash: expected 32 bytes of hex, got 2');
});

test('normalizeHex and isHex agree on the canonical 0x-lowercase form', () => {
  const canonical = normalizeHex('ABCD', 2);
  assert.equal(canonical, '0xabcd');
  assert.equal(isHex(canonical, 2), true);
  assert.equal(isHex('0xABCD', 2), false);
  assert.equal(isHex('abcd', 2), false);
  assert.equal(isHex('0xabcd', 3), false);
  assert.equal(isHex(42, 2), false);
});

test('parseHexBytes wants 0x and an exact digit count; parseU64 takes decimal or hex up to 2^64 - 1', () => {
  assert.deepEqual(parseHexBytes('0x00ab10ff', 4, 'id'), BYTES);
  assert.throws(() => parseHexBytes('00ab10ff', 4, 'id'), /id: .*without 0x prefix/);
  assert.throws(() => parseHexBytes('0x00AB10FF', 4, 'id', { lowercaseOnly: true }), /id: .*lowercase/);
  assert.equal(parseU64('0x10'), 16n);
  assert.equal(parseU64('10'), 10n);
  assert.throws(() => parseU64('0x10000000000000000', 'start'), (err: unknown) => err instanceof HexError && err.field === 'start');
});

test('big-endian integers and concatenation', () => {
  assert.equal(bytesToBigInt(BYTES), 0x00ab10ffn);
  assert.equal(bytesToBigInt(new Uint8Array(0)), 0n);
  assert.deepEqual(bigIntToBytes(0xab10ffn, 4), Uint8Array.of(0x00, 0xab, 0x10, 0xff));
  assert.throws(() => bigIntToBytes(1n << 32n, 4), RangeError);
  assert.throws(() => bigIntToBytes(-1n, 4), RangeError);
  assert.deepEqual(concatBytes(uint32BE(0x01020304), uint64BE(0x05n)), Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 5));
});
