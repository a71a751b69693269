import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { GetworkClient } from '../src/net/client/getwork-client.js';
import { RpcError } from '../src/net/wire/json-rpc.js';
import { MINING_NOT_READY, registerMiningMethods } from '../src/net/server/rpc/mining-methods.js';
import { JsonRpcServer } from '../src/net/server/rpc/server.js';
import { positionalParams } from '../src/net/server/rpc/registry.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import { FakeProvider, LOGIN, SEED_EPOCH_31, SHARE_TARGET_200K, captureLog, hex32, makeWork, waitUntil } from './fixtures/net-helpers.js';

const MIX = hex32(0x84);

async function post(port: number, body: unknown, path = '/'): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.length > 0 ? JSON.parse(text) : undefined };
}

const call = async (port: number, method: string, params: unknown[] = [], path = '/'): Promise<Record<string, unknown>> =>
  (await post(port, { jsonrpc: '2.0', id: 7, method, params }, path)).json as Record<string, unknown>;

describe('node JSON-RPC server: mining methods and errors over HTTP', () => {
  const provider = new FakeProvider();
  const rpc = new JsonRpcServer({ logger: captureLog().logger });
  registerMiningMethods(rpc, provider);
  let height = 940410;
  rpc.register('sero_blockNumber', () => `0x${height.toString(16)}`);
  rpc.register('stake_sharePoolSize', () => {
    throw new RpcError(-32000, 'share pool unavailable');
  });
  rpc.register('sero_crash', () => {
    throw new Error('boom');
  });
  rpc.register('sero_echo', (params) => positionalParams(params, 1, 2));
  let port = 0;

  before(async () => {
    port = (await rpc.listen()).port;
  });
  after(() => rpc.close());

  test('sero_getWork without work: -32000 "mining not ready"', async () => {
    assert.deepEqual(await call(port, 'sero_getWork'), { jsonrpc: '2.0', id: 7, error: { code: -32000, message: MINING_NOT_READY } });
  });

  test('sero_getWork and its eth_ alias return the four strings', async () => {
    provider.publish(makeWork(940410, 0x11));
    const expected = [`0xa0${'11'.repeat(31)}`, SEED_EPOCH_31, SHARE_TARGET_200K, '940410'];
    assert.deepEqual(await call(port, 'sero_getWork'), { jsonrpc: '2.0', id: 7, result: expected });
    assert.deepEqual((await call(port, 'eth_getWork')).result, expected);
  });

  test('sero_submitWork: true for a known header, false for an unknown one, identity from the path', async () => {
    const work = makeWork(940410, 0x11);
    assert.equal((await call(port, 'sero_submitWork', ['0xfec1e9c065c782d6', work.jobId, MIX], `/${LOGIN}/rig02`)).result, true);
    const seen = provider.shares.at(-1)!;
    assert.deepEqual([seen.share.nonce, seen.context.login, seen.context.worker, seen.context.via], [0xfec1e9c065c782d6n, LOGIN, 'rig02', 'rpc']);
    assert.equal((await call(port, 'eth_submitWork', ['0xfec1e9c065c782d6', hex32(0x77), MIX])).result, false);
    provider.decide = () => ({ kind: 'invalid' });
    assert.equal((await call(port, 'sero_submitWork', ['0x0000000000000001', work.jobId, MIX])).result, false);
    provider.decide = () => ({ kind: 'accepted' });
  });

  test('sero_submitWork with bad arguments: -32602 naming the argument', async () => {
    const work = makeWork(940410, 0x11);
    const errorOf = async (params: unknown[]): Promise<unknown> => (await call(port, 'sero_submitWork', params)).error;
    assert.deepEqual(await errorOf(['0xfec1e9c065c782d', work.jobId, MIX]), { code: -32602, message: 'invalid argument 0: expected 0x followed by exactly 16 hex digits, got 15 digits' });
    assert.deepEqual(await errorOf(['0xfec1e9c065c782d6', `${work.jobId}00`, MIX]), { code: -32602, message: 'invalid argument 1: expected 0x followed by exactly 64 hex digits, got 66 digits' });
    assert.deepEqual(await errorOf(['0xfec1e9c065c782d6', work.jobId]), { code: -32602, message: 'missing value for required argument 2' });
    assert.deepEqual(await errorOf(['0xfec1e9c065c782d6', work.jobId, MIX, 1]), { code: -32602, message: 'too many arguments, want at most 3' });
  });

  test('sero_submitHashrate: compact hex accepted, zero padding refused like gero', async () => {
    assert.equal((await call(port, 'sero_submitHashrate', ['0x1c9c380', hex32(0x52)])).result, true);
    assert.equal(provider.hashrates.at(-1)!.rate, 30_000_000n);
    assert.deepEqual((await call(port, 'sero_submitHashrate', ['0x0000000001c9c380', hex32(0x52)])).error, {
      code: -32602,
      message: 'invalid argument 0: hex number with leading zero digits',
    });
  });

  test('devnet methods: registered, aliased, RpcError and plain errors mapped', async () => {
    assert.equal((await call(port, 'eth_blockNumber')).result, '0xe597a');
    height = 940411;
    assert.equal((await call(port, 'sero_blockNumber')).result, '0xe597b');
    assert.deepEqual((await call(port, 'stake_sharePoolSize')).error, { code: -32000, message: 'share pool unavailable' });
    assert.deepEqual((await call(port, 'sero_crash')).error, { code: -32000, message: 'boom' });
    assert.deepEqual((await call(port, 'sero_echo', ['a'])).result, ['a']);
    assert.throws(() => rpc.register('sero_blockNumber', () => 0), /already registered/);
    assert.equal(rpc.has('eth_blockNumber'), true);
    assert.equal(rpc.has('eth_nothing'), false);
  });

  test('JSON-RPC 2.0 errors: -32700, -32600, -32601; batches; notifications get no body', async () => {
    assert.deepEqual((await post(port, '{"id":1,"method":')).json, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
    assert.deepEqual((await post(port, { jsonrpc: '2.0', id: 2, method: 5 })).json, { jsonrpc: '2.0', id: 2, error: { code: -32600, message: 'invalid request' } });
    assert.deepEqual((await post(port, { jsonrpc: '2.0', id: 3, method: 'sero_x', params: 'no' })).json, {
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32600, message: 'invalid request: params must be an array or object' },
    });
    assert.deepEqual((await call(port, 'sero_nope')).error, { code: -32601, message: 'the method sero_nope does not exist/is not available' });
    assert.deepEqual((await post(port, [])).json, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'empty batch' } });
    const batch = (await post(port, [
      { jsonrpc: '2.0', id: 1, method: 'sero_blockNumber' },
      { jsonrpc: '2.0', method: 'sero_blockNumber' },
      { jsonrpc: '2.0', id: 2, method: 'sero_nope' },
    ])).json as Array<Record<string, unknown>>;
    assert.deepEqual(batch.map((r) => r.id), [1, 2]);
    assert.equal((batch[1]!.error as { code: number }).code, -32601);
    assert.deepEqual(await post(port, { jsonrpc: '2.0', method: 'sero_blockNumber' }), { status: 204, json: undefined });
  });

  test('non-POST requests get 405', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 405);
  });

  test('serominer-style HTTP/1.0 request: status, headers and body arrive in the first read', async () => {
    const socket = net.connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    const body = '{"id":1,"jsonrpc":"2.0","method":"sero_getWork","params":[]}';
    socket.write(`POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    const text = chunk.toString();
    assert.match(text, /^HTTP\/1\.[01] 200 /);
    assert.doesNotMatch(text, /chunked/i);
    const reply = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    assert.equal(reply.id, 1);
    assert.equal(reply.result[3], '940410');
  });
});

describe('node JSON-RPC server: WebSocket and newHeads', () => {
  const provider = new FakeProvider();
  const rpc = new JsonRpcServer({ logger: captureLog().logger });
  registerMiningMethods(rpc, provider);
  let port = 0;

  before(async () => {
    provider.publish(makeWork(940410, 0x11));
    port = (await rpc.listen()).port;
  });
  after(() => rpc.close());

  async function socket(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>>; request: (method: string, params?: unknown[]) => Promise<Record<string, unknown>> }> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await once(ws, 'open');
    const inbox: Array<Record<string, unknown>> = [];
    const waiting: Array<(m: Record<string, unknown>) => void> = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else inbox.push(message);
    });
    const next = (): Promise<Record<string, unknown>> => (inbox.length > 0 ? Promise.resolve(inbox.shift()!) : new Promise((resolve) => waiting.push(resolve)));
    let id = 0;
    const request = async (method: string, params: unknown[] = []): Promise<Record<string, unknown>> => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }));
      return next();
    };
    return { ws, next, request };
  }

  test('calls work over WebSocket', async () => {
    const { ws, request } = await socket();
    assert.equal(((await request('sero_getWork')).result as string[])[3], '940410');
    ws.close();
  });

  test('eth_subscribe / sero_subscribe newHeads: notifications in the caller namespace, unsubscribe stops them', async () => {
    const { ws, next, request } = await socket();
    const ethSub = (await request('eth_subscribe', ['newHeads'])).result as string;
    const seroSub = (await request('sero_subscribe', ['newHeads'])).result as string;
    assert.match(ethSub, /^0x[0-9a-f]{32}$/);
    const head = { number: '0xe597b', hash: hex32(0x9d), parentHash: hex32(0x41) };
    rpc.publish('newHeads', head);
    const notices = [await next(), await next()];
    assert.deepEqual(
      notices.sort((a, b) => String(a.method).localeCompare(String(b.method))),
      [
        { jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: ethSub, result: head } },
        { jsonrpc: '2.0', method: 'sero_subscription', params: { subscription: seroSub, result: head } },
      ],
    );
    assert.equal((await request('eth_unsubscribe', [ethSub])).result, true);
    assert.equal((await request('sero_unsubscribe', [seroSub])).result, true);
    rpc.publish('newHeads', head);
    assert.equal((await request('sero_unsubscribe', [seroSub])).result, false, 'a notification arrived after unsubscribe');
    assert.equal((await request('sero_subscribe', ['logs'])).error !== undefined, true);
    ws.close();
  });

  test('subscribing over HTTP is refused', async () => {
    assert.deepEqual((await call(port, 'eth_subscribe', ['newHeads'])).error, { code: -32601, message: 'notifications not supported' });
  });
});

describe('getwork client against the node server', () => {
  test('polls work, follows new work, submits, reports compact hashrate, survives no-work and low-height replies', async () => {
    const provider = new FakeProvider();
    const rpc = new JsonRpcServer({ logger: captureLog().logger });
    registerMiningMethods(rpc, provider);
    const { port } = await rpc.listen();
    const log = captureLog();
    const client = new GetworkClient({
      uri: parsePoolUri(`http://127.0.0.1:${port}/${LOGIN}/rig03`),
      logger: log.logger,
      pollIntervalMs: 20,
      errorRetryMs: 40,
      hashrateIntervalMs: 30,
      hashrate: () => 30_000_000,
    });
    const works: WorkPackage[] = [];
    client.on('work', (w) => works.push(w));
    try {
      await client.connect();
      assert.ok(log.has(/node has no work: -32000 mining not ready/));
      provider.publish(makeWork(900000, 0x10));
      await waitUntil(() => log.has(/refusing job: job height 900000 is below/), 1000, 'low-height refusal');
      provider.publish(makeWork(940410, 0x11));
      await waitUntil(() => works.length === 1, 1000, 'first work');
      provider.publish(makeWork(940411, 0x12));
      await waitUntil(() => works.length === 2, 1000, 'second work');
      assert.deepEqual(works.map((w) => w.height), [940410, 940411]);

      const accepted = await client.submit({ work: works[1]!, nonce: 42n, mixDigest: new Uint8Array(32).fill(1) });
      assert.equal(accepted.status, 'accepted');
      assert.deepEqual([provider.shares.at(-1)!.share.nonce, provider.shares.at(-1)!.context.worker], [42n, 'rig03']);
      provider.decide = () => ({ kind: 'invalid' });
      assert.equal((await client.submit({ work: works[0]!, nonce: 43n, mixDigest: new Uint8Array(32) })).status, 'stale');
      await waitUntil(() => provider.hashrates.length > 0, 1000, 'hashrate');
      assert.deepEqual([provider.hashrates[0]!.rate, provider.hashrates[0]!.worker], [30_000_000n, 'rig03']);

      const gone = once(client, 'disconnected');
      await rpc.close();
      const [reason] = (await gone) as [string];
      assert.match(reason, /ECONNREFUSED|socket hang up|ECONNRESET/);
      assert.equal((await client.submit({ work: works[1]!, nonce: 44n, mixDigest: new Uint8Array(32) })).status, 'dropped');
    } finally {
      client.close();
      await rpc.close();
    }
  });

  test('connect fails clearly when nothing listens', async () => {
    const client = new GetworkClient({ uri: parsePoolUri('http://127.0.0.1:1'), logger: captureLog().logger });
    await assert.rejects(client.connect(), /ECONNREFUSED/);
  });
});

