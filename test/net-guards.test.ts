// The reusable server guards on their own: origin and host rules, the connection limiter's
// accounting (IPv4-mapped addresses are one client), caps sized below the open-file limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionLimiter, isLoopback } from '../src/net/connection-limiter.js';
import { connectionCap } from '../src/net/descriptor-limit.js';
import { RequestGuard, isJsonContentType, normalizeOrigin, sameSecret } from '../src/net/http-guard.js';

test('origins are normalized and checked; hosts pass as IP addresses or listed names', () => {
  assert.equal(normalizeOrigin(' HTTP://Example.org:8080/ '), 'http://example.org:8080');
  assert.equal(normalizeOrigin('*'), '*');
  assert.throws(() => normalizeOrigin('example.org'), /expected an origin/);
  assert.throws(() => normalizeOrigin('http://example.org/page'), /no path/);
  const guard = new RequestGuard({ vhosts: ['devnet.lan'], origins: ['http://wallet.example'] });
  for (const host of ['127.0.0.1:8545', '[::1]:8545', '10.0.0.5', 'DEVNET.lan:1', undefined]) assert.equal(guard.hostAllowed(host), true, String(host));
  for (const host of ['localhost:8545', 'evil.example', 'devnet.lan.evil.example']) assert.equal(guard.hostAllowed(host), false, host);
  assert.equal(guard.originAllowed(undefined, 'x'), true, 'no Origin: not a browser');
  assert.equal(guard.originAllowed('http://wallet.example', 'x'), true);
  assert.equal(guard.originAllowed('http://127.0.0.1:8545', '127.0.0.1:8545'), true, 'same origin');
  assert.equal(guard.originAllowed('null', '127.0.0.1:8545'), false);
  assert.equal(new RequestGuard({ sameOrigin: false }).originAllowed('http://127.0.0.1:8545', '127.0.0.1:8545'), false);
  assert.equal(isJsonContentType('application/json; charset=utf-8'), true);
  assert.equal(isJsonContentType('text/plain'), false);
  assert.equal(sameSecret('a-token', 'a-token'), true);
  assert.equal(sameSecret('a-token!', 'a-token'), false);
});

test('the limiter counts an address once whatever its socket family, and frees slots on release', () => {
  const evicted: string[] = [];
  const limiter = new ConnectionLimiter({ maxTotal: 10, maxPerAddress: 2, exemptLoopback: true });
  const a = limiter.admit('::ffff:10.0.0.7', () => evicted.push('a'));
  const b = limiter.admit('10.0.0.7', () => evicted.push('b'));
  assert.ok(a.ok && b.ok);
  assert.equal(limiter.countFrom('10.0.0.7'), 2);
  a.admission.protect();
  // The third one from the address pushes out the unprotected one, not the protected one.
  const c = limiter.admit('10.0.0.7', () => evicted.push('c'));
  assert.ok(c.ok);
  assert.deepEqual(evicted, ['b']);
  if (c.ok) c.admission.protect();
  assert.equal(limiter.admit('10.0.0.7', () => {}).ok, false);
  a.admission.release();
  assert.equal(limiter.admit('10.0.0.7', () => {}).ok, true);
  assert.equal(isLoopback('::ffff:127.0.0.2'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('10.0.0.1'), false);
});

test('connection caps stay below the open-file limit', () => {
  assert.equal(connectionCap(0.75, 10_000, 256), 120);
  assert.equal(connectionCap(0.15, 256, 256), 24);
  assert.equal(connectionCap(0.75, 10_000, 1_048_576), 10_000);
  assert.equal(connectionCap(0.75, 10_000, 64), 8);
  assert.equal(connectionCap(0.75, 500, undefined), 500);
});
