// The reusable server guards on their own: origin and host rules, the connection limiter's
// accounting (IPv4-mapped addresses are one client), caps sized below the open-file limit.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { ConnectionLimiter, isLoopback } from '../src/net/server/connection-limiter.js';
import { connectionCap } from '../src/net/server/descriptor-limit.js';
import { RequestGuard, isJsonContentType, normalizeOrigin, sameSecret } from '../src/net/server/http-guard.js';

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
  const local = new RequestGuard({ sameOrigin: false, loopbackOrigins: true });
  for (const origin of ['http://127.0.0.1:8011', 'http://127.3.0.1', 'http://[::1]:8011', 'http://localhost:8011', 'http://app.localhost']) assert.equal(local.originAllowed(origin, 'x'), true, origin);
  for (const origin of ['http://localhost.evil.example', 'http://10.0.0.1:8011', 'null', 'http://[::ffff:10.0.0.1]']) assert.equal(local.originAllowed(origin, 'x'), false, origin);
  const machine = new RequestGuard({ vhosts: [], machineNames: true });
  for (const host of ['localhost:3333', 'rig.localhost', `${hostname()}:3333`, `${hostname()}.local`, '10.0.0.5:3333']) assert.equal(machine.hostAllowed(host), true, host);
  assert.equal(machine.hostAllowed('evil.example'), false);
  assert.equal(new RequestGuard({ vhosts: [] }).hostAllowed('localhost'), false, 'machine names only when asked');
  assert.equal(isJsonContentType('application/json; charset=utf-8'), true);
  assert.equal(isJsonContentType('text/plain'), false);
  assert.equal(sameSecret('a-token', 'a-token'), true);
  assert.equal(sameSecret('a-token!', 'a-token'), false);
});

test('refusals: the reason names the option that would allow it; a cross-site no-cors load is refused, a link followed is not', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as http.IncomingMessage;
  const guard = new RequestGuard({ hints: { host: '--api-allow-host', origin: '--api-allow-origin' } });
  assert.deepEqual(guard.check(request({ host: 'evil.example:80' })), { ok: false, status: 403, reason: 'invalid host specified "evil.example" (DNS rebinding protection; allow it with --api-allow-host)' });
  assert.deepEqual(guard.check(request({ host: '127.0.0.1', origin: 'http://evil.example' })), { ok: false, status: 403, reason: 'cross-origin request from http://evil.example refused (allow it with --api-allow-origin)' });
  assert.deepEqual(new RequestGuard().check(request({ host: 'evil.example' })), { ok: false, status: 403, reason: 'invalid host specified' }, "geth's words without hints");
  assert.equal(guard.check(request({ host: '127.0.0.1', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' })).ok, false);
  assert.equal(guard.check(request({ host: '127.0.0.1', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).ok, true);
  assert.equal(guard.check(request({ host: '127.0.0.1', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' })).ok, true);
  assert.deepEqual(guard.corsHeaders(request({ host: '127.0.0.1:1', origin: 'http://evil.example' })), {}, 'no CORS headers for a refused origin');
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
