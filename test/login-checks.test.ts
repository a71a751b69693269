// The checks behind a bad login: a SERO address is base58 of a 64-byte PK or a 96-byte PKr (the
// official pool's rule), with what is wrong said in words; the failover plan passes over pools
// that refused the login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base58Encode, isSeroAddress, seroAddressProblem } from '../src/util/base58.js';
import { FailoverPlan } from '../src/net/client/failover-plan.js';
import { LOGIN } from './fixtures/net-helpers.js';

const bytes = (n: number, fill = 0xab) => new Uint8Array(n).fill(fill);

test('a SERO address is base58 of a 64-byte PK or a 96-byte PKr', () => {
  for (const address of [LOGIN, base58Encode(bytes(64)), base58Encode(bytes(96)), base58Encode(bytes(64, 0))]) {
    assert.equal(seroAddressProblem(address), undefined, address);
    assert.equal(isSeroAddress(address), true);
  }
  const cases: [string, RegExp][] = [
    ['', /^it is empty$/],
    [base58Encode(bytes(63)), /^it decodes to 63 bytes; a SERO address is the base58 text of a 64-byte PK or a 96-byte PKr$/],
    [base58Encode(bytes(65)), /decodes to 65 bytes/],
    [base58Encode(bytes(95)), /decodes to 95 bytes/],
    [base58Encode(bytes(97)), /decodes to 97 bytes/],
    [`${LOGIN.slice(0, 4)}O${LOGIN.slice(5)}`, /^it has "O" at character 5, which base58 does not use$/],
    ['devnet-miner', /"-" at character 7/],
    ['1'.repeat(201), /^it is 201 characters long; a SERO address has at most 200$/],
  ];
  for (const [text, why] of cases) {
    assert.match(seroAddressProblem(text) ?? 'accepted', why, text);
    assert.equal(isSeroAddress(text), false, text);
  }
});

test('the failover plan moves on from a pool that refused the login at once, and passes over it after', () => {
  const refused = new Set<number>();
  const plan = new FailoverPlan(3, { initialMs: 1, factor: 1 });
  plan.failed(3);
  assert.equal(plan.index, 0, 'a failed connection is tried again');
  refused.add(0);
  plan.failed(3, (i) => refused.has(i));
  assert.equal(plan.index, 1, 'a refused login is not');
  refused.add(1);
  plan.failed(3, (i) => refused.has(i));
  assert.equal(plan.index, 2);
  for (let i = 0; i < 3; i++) plan.failed(3, (i) => refused.has(i));
  assert.equal(plan.index, 2, 'after its retries on the last pool left, it stays there: the others refused');
});
