// The API's password throttle on a clock the test moves: the limit, the wait it reports, the
// window sliding past, addresses counted apart, and a bounded memory of addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordThrottle } from '../src/api/password-throttle.js';

test('five wrong passwords in a minute lock an address until the first of them is a minute old', () => {
  let now = 1_000_000;
  const throttle = new PasswordThrottle(5, 60_000, () => now);
  for (let i = 0; i < 4; i++) { throttle.fail('10.0.0.1'); now += 1000; }
  assert.equal(throttle.waitSeconds('10.0.0.1'), 0, 'four wrong passwords: still allowed');
  throttle.fail('10.0.0.1');
  assert.equal(throttle.waitSeconds('10.0.0.1'), 56, 'the first failure was 4 s ago');
  assert.equal(throttle.waitSeconds('10.0.0.2'), 0, 'another address is counted apart');
  now += 55_500;
  assert.equal(throttle.waitSeconds('10.0.0.1'), 1);
  now += 600;
  assert.equal(throttle.waitSeconds('10.0.0.1'), 0, 'the oldest failure left the window');
  throttle.fail('10.0.0.1');
  assert.ok(throttle.waitSeconds('10.0.0.1') > 0, 'four recent failures plus a new one lock again');
});

test('memory stays bounded: the oldest addresses are forgotten first', () => {
  const throttle = new PasswordThrottle(1, 60_000, () => 0);
  for (let i = 0; i < 1025; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`);
  assert.equal(throttle.waitSeconds('10.0.0.0'), 0, 'the first address was forgotten');
  assert.ok(throttle.waitSeconds('10.0.4.0') > 0, 'the last is remembered');
});
