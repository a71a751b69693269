import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TA_PER_SERO, formatSero, parseSero, sero } from '../src/util/sero-amount.js';

test('formatSero renders exact decimals without rounding', () => {
  assert.equal(formatSero(45n * TA_PER_SERO), '45');
  assert.equal(formatSero(1n), '0.000000000000000001');
  assert.equal(formatSero(2000379678620419361n), '2.000379678620419361');
  assert.equal(formatSero(-1_500_000_000_000_000_000n), '-1.5');
  assert.equal(formatSero(0n), '0');
  assert.equal(formatSero(6n * TA_PER_SERO, { minDecimals: 2, unit: true }), '6.00 SERO');
  assert.equal(formatSero(759357240838722n, { minDecimals: 2 }), '0.000759357240838722');
});

test('parseSero is the exact inverse of formatSero', () => {
  for (const amount of [0n, 1n, 999999999999999999n, 72n * TA_PER_SERO, 17187144816774440000n, -3n]) {
    assert.equal(parseSero(formatSero(amount)), amount);
  }
  assert.equal(parseSero('0.000759357'), 759_357_000_000_000n);
  assert.equal(sero(200_000), 200_000n * TA_PER_SERO);
  assert.equal(sero('10.5'), 10_500_000_000_000_000_000n);
});

test('parseSero rejects what it cannot represent exactly', () => {
  assert.throws(() => parseSero('1.0000000000000000001'), SyntaxError);
  assert.throws(() => parseSero('1e18'), SyntaxError);
  assert.throws(() => parseSero(''), SyntaxError);
  assert.throws(() => sero(0.5), RangeError);
});
