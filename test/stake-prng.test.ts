import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesTo0x } from '../src/util/hex.js';
import { Hash256Prng, drawTicketIndices } from '../src/devnet/stake/prng.js';

// stake-mainnet.md section 8.
const HASH_POS = '0xab2094f2f8c2e4cd221760173a1853356897134dd172efd301b8db86863ea367';
const SEED2 = '0x91a04aff9c722ba12813fc68312d99fd0f0f9e41593fa36b764b6e1d1bf4b5c9';

test('the IV drops the first 8 seed bytes and appends the pi constant', () => {
  assert.equal(bytesTo0x(new Hash256Prng(HASH_POS).iv), '0x221760173a1853356897134dd172efd301b8db86863ea367243f6a8885a308d3');
});

test('first 20 outputs', () => {
  const prng = new Hash256Prng(HASH_POS);
  const words = Array.from({ length: 20 }, () => prng.nextU32().toString(16).padStart(8, '0'));
  assert.deepEqual(
    words.join(' '),
    '22176017 3a185335 6897134d d172efd3 01b8db86 863ea367 243f6a88 85a308d3 ' +
      '3a185335 6897134d d172efd3 01b8db86 863ea367 243f6a88 85a308d3 00000000 ' +
      '3a185335 6897134d d172efd3 01b8db86',
  );
});

test('draw3 vectors for HashPos', () => {
  const expected: [number, number[]][] = [
    [3, [2, 0, 1]],
    [4, [3, 1, 2]],
    [10, [1, 3, 8]],
    [1000, [271, 693, 341]],
    [20000, [17271, 12693, 11341]],
    [326592, [94679, 122165, 279117]],
    [1048576, [483351, 545589, 463693]],
    [2147483649, [1366486994, 104768358, 94570706]],
  ];
  for (const [size, indices] of expected) assert.deepEqual(drawTicketIndices(size, HASH_POS), indices, `size ${size}`);
});

test('draw3 vectors for keccak256("seed2")', () => {
  assert.deepEqual(drawTicketIndices(3, SEED2), [1, 2, 0]);
  assert.deepEqual(drawTicketIndices(10, SEED2), [0, 5, 3]);
  assert.deepEqual(drawTicketIndices(20000, SEED2), [18440, 12125, 1793]);
});

test('no draw below 3 tickets', () => {
  assert.deepEqual(drawTicketIndices(2, HASH_POS), []);
  assert.deepEqual(drawTicketIndices(0, HASH_POS), []);
});

test('uniform rejects the biased low range instead of reducing it', () => {
  // bound 2^31 + 1: min = 2^32 − bound = 0x7fffffff. 0x22176017, 0x3a185335 and 0x6897134d are
  // below it and skipped; 0xd172efd3 is taken and reduced once.
  const prng = new Hash256Prng(HASH_POS);
  assert.equal(prng.uniform(2 ** 31 + 1), 0xd172efd3 - (2 ** 31 + 1));
  assert.equal(prng.nextU32(), 0x01b8db86);
  assert.equal(new Hash256Prng(HASH_POS).uniform(1), 0);
  assert.throws(() => new Hash256Prng(HASH_POS).uniform(2 ** 32), RangeError);
});
