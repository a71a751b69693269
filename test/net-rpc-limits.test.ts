// The node JSON-RPC's limits (geth's are the model): batch and response size, subscriptions
// and backpressure per WebSocket, Host and Origin checks against DNS rebinding and cross-site
// requests, and the token that methods changing state require.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { JsonRpcServer } from '../src/net/server/rpc/server.js';
import { UNAUTHORIZED_CODE } from '../src/net/server/rpc/registry.js';
import { captureLog, waitUntil } from './fixtures/net-helpers.js';
import { httpRequest, type HttpReply } from './support/api-client.js';

const TOKEN = 'f3b1c2d4e5a697887766554433221100';

/** A raw POST (or another method), so Host, Origin and Content-Type can be anything a browser or attacker sends. */
const request = (port: number, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<HttpReply> =>
  httpRequest(port, '/', { method: 'POST', ...options });

const json = { 'Content-Type': 'application/json' };
const call = (method: string, params: unknown[] = [], id = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** Starts the server before its describe block's tests and closes it after; port is known once it listens. */
function listening(rpc: JsonRpcServer): { port: number } {
  const server = { port: 0 };
  before(async () => {
    server.port = (await rpc.listen()).port;
  });
  after(() => rpc.close());
  return server;
}

describe('node JSON-RPC: batch and response limits', () => {
  const rpc = new JsonRpcServer({ logger: captureLog().logger, maxResponseBytes: 2000 });
  rpc.register('sero_blockNumber', () => '0xe597a');
  rpc.register('sero_big', () => 'x'.repeat(300));
  const server = listening(rpc);

  test('a batch over 1,000 calls is refused whole with -32600 "batch too large" (geth)', async () => {
    const batch = Array.from({ length: 5000 }, (_, i) => ({ jsonrpc: '2.0', id: i + 7, method: 'sero_blockNumber' }));
    const reply = await request(server.port, { headers: json, body: JSON.stringify(batch) });
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), [{ jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'batch too large' } }]);
    const fine = JSON.parse((await request(server.port, { headers: json, body: JSON.stringify(batch.slice(0, 1000)) })).body) as unknown[];
    assert.equal(fine.length, 1000);
  });

  test('past the response size the remaining calls answer -32003 "response too large" and are not run', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'sero_big' }));
    const replies = JSON.parse((await request(server.port, { headers: json, body: JSON.stringify(batch) })).body) as Array<Record<string, unknown>>;
    assert.equal(replies.length, 20);
    const served = replies.filter((r) => r.result !== undefined).length;
    assert.ok(served >= 6 && served <= 7, `${served} calls served under a 2,000-byte limit`);
    assert.deepEqual(replies.at(-1), { jsonrpc: '2.0', id: 19, error: { code: -32003, message: 'response too large' } });
  });
});

describe('node JSON-RPC: Host, Origin and content type', () => {
  const rpc = new JsonRpcServer({ logger: captureLog().logger, guard: { vhosts: ['localhost', 'devnet.lan'], origins: ['http://wallet.example:3000'] } });
  rpc.register('sero_blockNumber', () => '0xe597a');
  const server = listening(rpc);

  test('Host: IP addresses and listed names pass, any other name is refused (DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${server.port}`, '127.0.0.1', `localhost:${server.port}`, `[::1]:${server.port}`, `DevNet.lan:${server.port}`]) {
      assert.equal((await request(server.port, { headers: { ...json, Host: host }, body: call('sero_blockNumber') })).status, 200, host);
    }
    const rebound = await request(server.port, { headers: { ...json, Host: `evil.example:${server.port}` }, body: call('sero_blockNumber') });
    assert.deepEqual([rebound.status, rebound.body], [403, 'invalid host specified\n']);
  });

  test('a cross-origin POST is refused, text/plain included; an allowed origin gets CORS headers', async () => {
    const evil = await request(server.port, { headers: { ...json, Origin: 'http://evil.example' }, body: call('sero_blockNumber') });
    assert.equal(evil.status, 403);
    const simple = await request(server.port, { headers: { 'Content-Type': 'text/plain', Origin: 'http://evil.example' }, body: call('sero_blockNumber') });
    assert.equal(simple.status, 403);
    const plain = await request(server.port, { headers: { 'Content-Type': 'text/plain' }, body: call('sero_blockNumber') });
    assert.deepEqual([plain.status, plain.body], [415, 'invalid content type, only application/json is supported\n']);
    const same = await request(server.port, { headers: { ...json, Origin: `http://127.0.0.1:${server.port}` }, body: call('sero_blockNumber') });
    assert.equal(same.status, 200, 'same origin');
    const wallet = await request(server.port, { headers: { ...json, Origin: 'http://wallet.example:3000' }, body: call('sero_blockNumber') });
    assert.equal(wallet.status, 200);
    assert.equal(wallet.headers['access-control-allow-origin'], 'http://wallet.example:3000');
    const preflight = await request(server.port, { method: 'OPTIONS', headers: { Origin: 'http://wallet.example:3000', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
    assert.equal((await request(server.port, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } })).status, 403);
  });

  test('a cross-origin WebSocket is refused at the upgrade', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, { origin: 'http://evil.example' });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => resolve(0));
    });
    assert.equal(status, 403);
    const ok = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(ok, 'open');
    ok.close();
  });
});

describe('node JSON-RPC: methods that change state need the token', () => {
  const rpc = new JsonRpcServer({ logger: captureLog().logger, token: TOKEN, tokenHint: 'see the test' });
  let changes = 0;
  rpc.register('stake_buyShare', () => ++changes, { changesState: true });
  rpc.register('stake_sharePrice', () => '0x1');
  const server = listening(rpc);

  test('without the token: -32001 naming how to authenticate; reads stay open', async () => {
    const refused = JSON.parse((await request(server.port, { headers: json, body: call('stake_buyShare', [{}]) })).body) as { error: { code: number; message: string } };
    assert.equal(refused.error.code, UNAUTHORIZED_CODE);
    assert.match(refused.error.message, /stake_buyShare changes state and needs the RPC token; send "Authorization: Bearer <token>" \(see the test\)/);
    assert.equal(JSON.parse((await request(server.port, { headers: json, body: call('eth_sharePrice') })).body).result, undefined);
    assert.equal(JSON.parse((await request(server.port, { headers: json, body: call('stake_sharePrice') })).body).result, '0x1');
    assert.equal(changes, 0);
  });

  test('with it the call runs; a wrong token is refused outright', async () => {
    const ok = JSON.parse((await request(server.port, { headers: { ...json, Authorization: `Bearer ${TOKEN}` }, body: call('stake_buyShare', [{}]) })).body);
    assert.equal(ok.result, 1);
    const wrong = await request(server.port, { headers: { ...json, Authorization: 'Bearer not-the-token-at-all' }, body: call('stake_sharePrice') });
    assert.deepEqual([wrong.status, wrong.body], [401, 'invalid token\n']);
    // Inside a batch too, each state change is checked.
    const batch = JSON.parse((await request(server.port, { headers: json, body: `[${call('stake_sharePrice', [], 1)},${call('stake_buyShare', [{}], 2)}]` })).body) as Array<Record<string, unknown>>;
    assert.equal(batch[0]!.result, '0x1');
    assert.equal((batch[1]!.error as { code: number }).code, UNAUTHORIZED_CODE);
    assert.equal(changes, 1);
  });

  test('over WebSocket the token comes with the upgrade', async () => {
    const authed = new WebSocket(`ws://127.0.0.1:${server.port}/`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await once(authed, 'open');
    authed.send(call('stake_buyShare', [{}]));
    const [data] = (await once(authed, 'message')) as [Buffer];
    assert.equal(JSON.parse(String(data)).result, 2);
    authed.close();
    const anonymous = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(anonymous, 'open');
    anonymous.send(call('stake_buyShare', [{}]));
    const [refused] = (await once(anonymous, 'message')) as [Buffer];
    assert.equal(JSON.parse(String(refused)).error.code, UNAUTHORIZED_CODE);
    anonymous.close();
  });

  test('with no token configured a state change is refused to everyone', async () => {
    const open = new JsonRpcServer({ logger: captureLog().logger });
    open.register('stake_buyShare', () => true, { changesState: true });
    const reply = JSON.parse((await open.handle(call('stake_buyShare'), { transport: 'http', path: '/', remoteAddress: '127.0.0.1', authenticated: false }))!);
    assert.match(reply.error.message, /no RPC token is configured/);
  });
});

describe('node JSON-RPC: WebSocket subscriptions and backpressure', () => {
  const rpc = new JsonRpcServer({ logger: captureLog().logger, maxSubscriptionsPerSocket: 3, wsMaxBufferedBytes: 64 * 1024, wsSlowReaderMs: 300 });
  let served = 0;
  rpc.register('sero_big', () => {
    served += 1;
    return 'x'.repeat(16 * 1024);
  });
  const server = listening(rpc);

  test('subscriptions per socket are capped', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(ws, 'open');
    const replies: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data)) as Record<string, unknown>));
    for (let i = 1; i <= 4; i++) ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'sero_subscribe', params: ['newHeads'] }));
    await waitUntil(() => replies.length === 4, 2000, 'four replies');
    assert.equal(replies.filter((r) => typeof r.result === 'string').length, 3);
    assert.match(String((replies.find((r) => r.id === 4)!.error as { message: string }).message), /too many subscriptions on this connection \(limit 3\)/);
    ws.close();
  });

  test('a socket that sends but never reads is paused, then dropped', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(ws, 'open');
    ws.pause();
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.on('error', () => {});
    const sent = 2000;
    for (let i = 0; i < sent; i++) ws.send(call('sero_big', [], i));
    // A paused client cannot see the close until it reads again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    ws.resume();
    await closed;
    // 2,000 replies of 16 KiB would be 32 MiB; only what the kernel buffers took was produced.
    assert.ok(served < sent / 2, `${served} of ${sent} calls served before the drop`);
  });
});
