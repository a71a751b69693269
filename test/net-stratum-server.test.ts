import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StratumServer } from '../src/net/server/stratum/server.js';
import { workToWire } from '../src/net/wire/work.js';
import { FakeProvider, LOGIN, RawClient, SEED_EPOCH_31, SHARE_TARGET_200K, TLS_CERT, TLS_KEY, captureLog, hex32, makeWork, sleep, waitUntil } from './fixtures/net-helpers.js';

const MIX = '0x841587fe347d3cd2495ba2e658b41c9b7cbbf1eb77f6f6c6834b39874814e5e1';
const serominerLogin = { id: 1, method: 'sero_submitLogin', params: [LOGIN, 'X'], worker: 'rig01' };
const getWork = { id: 5, method: 'sero_getWork', params: [] };
const submit = (id: number, nonce: string, header: string, mix = MIX): object => ({ id, method: 'sero_submitWork', params: [nonce, header, mix], worker: 'rig01' });

async function loggedIn(port: number, login: object = serominerLogin): Promise<RawClient> {
  const client = await RawClient.tcp(port);
  client.send(login);
  assert.equal((await client.next()).result, true);
  return client;
}

describe('stratum server: the serominer session', () => {
  const provider = new FakeProvider();
  const log = captureLog();
  const server = new StratumServer({ provider, logger: log.logger });
  let port = 0;

  before(async () => {
    provider.publish(makeWork(940410, 0x11));
    port = (await server.listen({ transport: 'tcp' })).port;
  });
  after(() => server.close());

  test('login, first job, pushes, share, hashrate: the official replies byte for byte', async () => {
    const miner = await RawClient.tcp(port);
    miner.send(serominerLogin);
    assert.deepEqual(await miner.next(), { id: 1, jsonrpc: '2.0', result: true });

    miner.send(getWork);
    const first = makeWork(940410, 0x11);
    assert.deepEqual(await miner.next(), { id: 5, jsonrpc: '2.0', result: [first.jobId, SEED_EPOCH_31, SHARE_TARGET_200K, '940410'] });

    const pushed = makeWork(940411, 0x22);
    provider.publish(pushed);
    assert.deepEqual(await miner.next(), { id: 0, jsonrpc: '2.0', result: [hex32(0x22).replace(/^0x22/, '0xa0'), SEED_EPOCH_31, SHARE_TARGET_200K, '940411'] });

    miner.send(submit(40, '0xfec1e9c065c782d6', pushed.jobId));
    assert.deepEqual(await miner.next(), { id: 40, jsonrpc: '2.0', result: true });
    const seen = provider.shares.at(-1)!;
    assert.equal(seen.share.nonce, 0xfec1e9c065c782d6n);
    assert.equal(seen.share.work.height, 940411);
    assert.equal(Buffer.from(seen.share.mixDigest).toString('hex'), MIX.slice(2));
    assert.equal(seen.context.login, LOGIN);
    assert.equal(seen.context.worker, 'rig01');

    miner.send({ id: 9, jsonrpc: '2.0', method: 'sero_submitHashrate', params: ['0x00000000000000000000000001c9c380', hex32(0x52)], worker: 'rig01' });
    assert.deepEqual(await miner.next(), { id: 9, jsonrpc: '2.0', result: true });
    assert.equal(provider.hashrates.at(-1)!.rate, 30_000_000n);

    // A reply from the miner (no method) is ignored, not answered, and does not close.
    miner.send({ id: 3, jsonrpc: '2.0', result: 'serominer-0.1.0' });
    await miner.expectNothing(80);
    assert.equal(miner.closed, false);
    miner.destroy();
  });

  test('shares for old or unknown headers are false, invalid PoW is false, connection kept', async () => {
    provider.publish(makeWork(940420, 0x30));
    const miner = await loggedIn(port);
    miner.send(submit(41, '0x0000000000000001', makeWork(940411, 0x22).jobId)); // 9 heights old
    assert.deepEqual(await miner.next(), { id: 41, jsonrpc: '2.0', result: false });
    miner.send(submit(42, '0x0000000000000002', hex32(0x99)));
    assert.deepEqual(await miner.next(), { id: 42, jsonrpc: '2.0', result: false });
    provider.decide = () => ({ kind: 'invalid', reason: 'mix mismatch' });
    miner.send(submit(43, '0x0000000000000003', makeWork(940420, 0x30).jobId));
    assert.deepEqual(await miner.next(), { id: 43, jsonrpc: '2.0', result: false });
    provider.decide = () => ({ kind: 'accepted' });
    // The rejected share was not recorded, so the same one (now valid) is no duplicate.
    miner.send(submit(44, '0x0000000000000003', makeWork(940420, 0x30).jobId));
    assert.deepEqual(await miner.next(), { id: 44, jsonrpc: '2.0', result: true });
    assert.equal(miner.closed, false);
    miner.destroy();
  });

  test('jobs from two heights back are still accepted', async () => {
    provider.publish(makeWork(940430, 0x40));
    provider.publish(makeWork(940431, 0x41));
    provider.publish(makeWork(940432, 0x42));
    const miner = await loggedIn(port);
    miner.send(submit(40, '0x00000000000000aa', makeWork(940430, 0x40).jobId));
    assert.equal((await miner.next()).result, true);
    provider.publish(makeWork(940433, 0x43));
    assert.equal(((await miner.next()).result as string[])[3], '940433');
    miner.send(submit(41, '0x00000000000000ab', makeWork(940430, 0x40).jobId));
    assert.equal((await miner.next()).result, false);
    miner.destroy();
  });

  test('eth_ method names are accepted too', async () => {
    const miner = await RawClient.tcp(port);
    miner.send({ id: 1, method: 'eth_submitLogin', params: [LOGIN] });
    assert.equal((await miner.next()).result, true);
    miner.send({ id: 5, method: 'eth_getWork', params: [] });
    const reply = await miner.next();
    assert.deepEqual(reply.result, workToWire(provider.currentWork()!));
    miner.destroy();
  });

  test('back-to-back jobs arrive newest last, one message each', async () => {
    const miner = await loggedIn(port);
    for (let h = 940500; h < 940510; h++) provider.publish(makeWork(h, h & 0xff));
    const heights: number[] = [];
    while (heights.at(-1) !== 940509) heights.push(Number(((await miner.next()).result as string[])[3]));
    assert.deepEqual([...heights].sort((a, b) => a - b), heights, 'an older job arrived after a newer one');
    miner.destroy();
  });
});

describe('stratum server: bad input gets the official error and never disturbs others', () => {
  const provider = new FakeProvider();
  const log = captureLog();
  // Bans off: each reply is checked on its own here (net-stratum-limits.test.ts covers the bans).
  const server = new StratumServer({ provider, logger: log.logger, limits: { bans: { banMs: 0 } } });
  let port = 0;
  let bystander: RawClient;

  before(async () => {
    provider.publish(makeWork(940410, 0x11));
    port = (await server.listen({ transport: 'tcp' })).port;
    bystander = await loggedIn(port);
  });
  after(async () => {
    bystander.destroy();
    await server.close();
  });

  const errorOf = (reply: Record<string, unknown>): unknown => reply.error;

  async function expectErrorAndClose(lines: Array<object | string>, code: number, message: string, login = true): Promise<Record<string, unknown>> {
    const miner = login ? await loggedIn(port) : await RawClient.tcp(port);
    for (const line of lines) miner.send(line);
    const reply = await miner.next();
    assert.equal(reply.jsonrpc, '2.0');
    assert.equal(reply.result, null);
    assert.deepEqual({ code: (errorOf(reply) as { code: number }).code, message: (errorOf(reply) as { message: string }).message }, { code, message });
    await miner.whenClosed();
    return reply;
  }

  test('malformed JSON: -1 "Malformed request", then close', async () => {
    const reply = await expectErrorAndClose(['{"id":1,"method":"sero_submitLogin",\n'], -1, 'Malformed request');
    assert.equal(reply.id, null);
  });

  test('a JSON value that is not an object: -1 "Malformed request"', async () => {
    await expectErrorAndClose(['[1,2,3]\n'], -1, 'Malformed request');
  });

  test('line over 1024 bytes: -1 "Socket flood", then close', async () => {
    await expectErrorAndClose([`{"id":1,"method":"sero_submitLogin","params":["${'a'.repeat(1100)}"]}\n`], -1, 'Socket flood', false);
    assert.ok(log.has(/exceeds the line limit/));
  });

  test('a line of exactly 1024 bytes with its newline is accepted', async () => {
    const base = JSON.stringify(serominerLogin);
    const line = `${base}${' '.repeat(1023 - base.length)}\n`;
    assert.equal(Buffer.byteLength(line), 1024);
    const miner = await RawClient.tcp(port);
    miner.send(line);
    assert.equal((await miner.next()).result, true);
    miner.destroy();
  });

  test('wrong-length nonce: -1 "Malformed PoW result" naming the field', async () => {
    const reply = await expectErrorAndClose([submit(40, '0xfec1e9c065c782d', makeWork(940410, 0x11).jobId)], -1, 'Malformed PoW result');
    assert.match(String((reply.error as { data: string }).data), /nonce: expected 0x followed by exactly 16 lowercase hex digits, got 15 digits/);
    assert.equal(reply.id, 40);
  });

  test('uppercase header hash: -1 "Malformed PoW result"', async () => {
    const reply = await expectErrorAndClose([submit(40, '0xfec1e9c065c782d6', makeWork(940410, 0x11).jobId.toUpperCase().replace('0X', '0x'))], -1, 'Malformed PoW result');
    assert.match(String((reply.error as { data: string }).data), /header hash/);
  });

  test('short mix digest: -1 "Malformed PoW result"', async () => {
    const reply = await expectErrorAndClose([submit(40, '0xfec1e9c065c782d6', makeWork(940410, 0x11).jobId, MIX.slice(0, 64))], -1, 'Malformed PoW result');
    assert.match(String((reply.error as { data: string }).data), /mix digest.*62 digits/);
  });

  test('two params instead of three: -1 "Invalid params"', async () => {
    await expectErrorAndClose([{ id: 40, method: 'sero_submitWork', params: ['0xfec1e9c065c782d6', MIX] }], -1, 'Invalid params');
  });

  test('duplicate share: 22 "Duplicate share", then close', async () => {
    const miner = await loggedIn(port);
    miner.send(submit(40, '0x1111111111111111', makeWork(940410, 0x11).jobId));
    assert.equal((await miner.next()).result, true);
    miner.send(submit(41, '0x1111111111111111', makeWork(940410, 0x11).jobId));
    const reply = await miner.next();
    assert.deepEqual(reply, { id: 41, jsonrpc: '2.0', result: null, error: { code: 22, message: 'Duplicate share' } });
    await miner.whenClosed();
  });

  test('duplicate from another connection is a duplicate too', async () => {
    await expectErrorAndClose([submit(40, '0x1111111111111111', makeWork(940410, 0x11).jobId)], 22, 'Duplicate share');
  });

  test('share before login: 25 "Not subscribed"', async () => {
    await expectErrorAndClose([submit(40, '0x2222222222222222', makeWork(940410, 0x11).jobId)], 25, 'Not subscribed', false);
  });

  test('unknown method (serominer autodetect probes): -3 "Method not found"', async () => {
    const reply = await expectErrorAndClose(
      [{ id: 1, method: 'mining.hello', params: { agent: 'serominer-0.1', host: '127.0.0.1', port: '1f48', proto: 'EthereumStratum/2.0.0' } }],
      -3,
      'Method not found',
      false,
    );
    assert.equal(reply.id, 1);
  });

  test('login without params: -1 "Invalid params"; empty login: -1 "Invalid login"', async () => {
    await expectErrorAndClose([{ id: 1, method: 'sero_submitLogin', params: [] }], -1, 'Invalid params', false);
    await expectErrorAndClose([{ id: 1, method: 'sero_submitLogin', params: [''] }], -1, 'Invalid login', false);
  });

  test('the bystander still works after all of the above', async () => {
    provider.publish(makeWork(940411, 0x12));
    assert.equal(((await bystander.next()).result as string[])[3], '940411');
    bystander.send(submit(40, '0x3333333333333333', makeWork(940411, 0x12).jobId));
    assert.deepEqual(await bystander.next(), { id: 40, jsonrpc: '2.0', result: true });
    assert.equal(bystander.closed, false);
  });
});

describe('stratum server: readiness, idle timeout, closeOnError=false', () => {
  test('getWork with no work: 0 "Work not ready"', async () => {
    const server = new StratumServer({ provider: new FakeProvider(), logger: captureLog().logger });
    const { port } = await server.listen({ transport: 'tcp' });
    try {
      const miner = await loggedIn(port);
      miner.send(getWork);
      assert.deepEqual(await miner.next(), { id: 5, jsonrpc: '2.0', result: null, error: { code: 0, message: 'Work not ready' } });
      await miner.whenClosed();
    } finally {
      await server.close();
    }
  });

  test('a silent connection is closed after the idle timeout; messages renew it', async () => {
    const provider = new FakeProvider();
    provider.publish(makeWork(940410, 0x11));
    const server = new StratumServer({ provider, logger: captureLog().logger, idleTimeoutMs: 150 });
    const { port } = await server.listen({ transport: 'tcp' });
    try {
      const miner = await loggedIn(port);
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        await sleep(100);
        miner.send(getWork);
        await miner.next();
      }
      assert.equal(miner.closed, false);
      await miner.whenClosed(1000);
      assert.ok(Date.now() - started >= 400, 'closed before the idle timeout ran out');
    } finally {
      await server.close();
    }
  });

  test('with closeOnError=false an error reply keeps the connection', async () => {
    const provider = new FakeProvider();
    provider.publish(makeWork(940410, 0x11));
    const server = new StratumServer({ provider, logger: captureLog().logger, closeOnError: false });
    const { port } = await server.listen({ transport: 'tcp' });
    try {
      const miner = await RawClient.tcp(port);
      miner.send({ id: 1, method: 'mining.subscribe', params: [] });
      assert.equal((((await miner.next()).error) as { code: number }).code, -3);
      miner.send(serominerLogin);
      assert.equal((await miner.next()).result, true);
      miner.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('stratum server: block-vote extension', () => {
  test('opted-in sessions get vote and outcome notices; serominer sessions get none', async () => {
    const provider = new FakeProvider();
    const work = makeWork(940410, 0x11);
    provider.publish(work);
    const server = new StratumServer({ provider, logger: captureLog().logger });
    const { port } = await server.listen({ transport: 'tcp' });
    try {
      const aware = await RawClient.tcp(port);
      aware.send({ ...serominerLogin, extensions: ['sero-votes/1'] });
      assert.deepEqual(await aware.next(), { id: 1, jsonrpc: '2.0', result: true, extensions: ['sero-votes/1'] });
      const plain = await loggedIn(port);

      provider.decide = () => ({ kind: 'accepted', block: true });
      aware.send(submit(40, '0x00000000000000a1', work.jobId));
      assert.equal((await aware.next()).result, true);
      plain.send(submit(40, '0x00000000000000a2', work.jobId));
      assert.equal((await plain.next()).result, true);

      const shareId = new Uint8Array(32).fill(0x1a);
      const blockHash = new Uint8Array(32).fill(0x9d);
      provider.notify(0, { type: 'vote', shareId, isPool: true, votes: 1 }, { type: 'outcome', status: 'confirmed', votes: 3, blockHash });
      provider.notify(1, { type: 'vote', shareId, isPool: false, votes: 1 });

      assert.deepEqual(await aware.next(), {
        jsonrpc: '2.0',
        method: 'sero_blockVote',
        params: { headerHash: work.jobId, nonce: '0x00000000000000a1', height: 940410, shareId: hex32(0x1a), isPool: true, votes: 1 },
      });
      assert.deepEqual(await aware.next(), {
        jsonrpc: '2.0',
        method: 'sero_blockOutcome',
        params: { headerHash: work.jobId, nonce: '0x00000000000000a1', height: 940410, status: 'confirmed', votes: 3, blockHash: hex32(0x9d) },
      });
      await plain.expectNothing(100);
      assert.equal(plain.closed, false);

      // Events for a session that has gone are dropped without harm.
      aware.destroy();
      await waitUntil(() => server.sessionCount === 1);
      provider.notify(0, { type: 'outcome', status: 'orphaned', votes: 1, reason: 'too few votes' });
      plain.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('stratum server: TLS and WebSocket endpoints', () => {
  const provider = new FakeProvider();
  const server = new StratumServer({ provider, logger: captureLog().logger });
  const ports: Record<string, number> = {};

  before(async () => {
    provider.publish(makeWork(940410, 0x11));
    ports.tls = (await server.listen({ transport: 'tls', tls: { key: TLS_KEY, cert: TLS_CERT } })).port;
    ports.ws = (await server.listen({ transport: 'ws' })).port;
    ports.wss = (await server.listen({ transport: 'wss', tls: { key: TLS_KEY, cert: TLS_CERT } })).port;
  });
  after(() => server.close());

  for (const transport of ['tls', 'ws', 'wss'] as const) {
    test(`${transport}: login and first job`, async () => {
      const miner = transport === 'tls' ? await RawClient.tcp(ports.tls!, true) : await RawClient.ws(ports[transport]!, transport === 'wss');
      miner.send(serominerLogin);
      assert.deepEqual(await miner.next(), { id: 1, jsonrpc: '2.0', result: true });
      miner.send(getWork);
      assert.deepEqual((await miner.next()).result, workToWire(makeWork(940410, 0x11)));
      miner.destroy();
    });
  }

  test('ws: oversized message gets "Socket flood" and a close', async () => {
    const miner = await RawClient.ws(ports.ws!);
    miner.send(JSON.stringify({ id: 1, method: 'sero_submitLogin', params: ['x'.repeat(2000)] }));
    assert.equal(((await miner.next()).error as { message: string }).message, 'Socket flood');
    await miner.whenClosed();
  });
});
