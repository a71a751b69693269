// What one hostile client can no longer do to the stratum server: hold every connection, stay
// without logging in, pipeline requests without reading the replies, flood junk shares or
// malformed requests, or fill the log; and browser pages of other origins cannot use the
// WebSocket endpoint.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { StratumServer, type StratumServerOptions, stratumWebSocketGuard } from '../src/net/server/stratum/server.js';
import { FakeProvider, LOGIN, RawClient, captureLog, hex32, makeWork, sleep, waitUntil } from './fixtures/net-helpers.js';

const MIX = hex32(0x84);
const login = { id: 1, method: 'sero_submitLogin', params: [LOGIN, 'x'], worker: 'rig01' };
const share = (id: number, nonce: bigint, header: string): object => ({
  id,
  method: 'sero_submitWork',
  params: [`0x${nonce.toString(16).padStart(16, '0')}`, header, MIX],
  worker: 'rig01',
});

async function withServer(options: Partial<StratumServerOptions>, run: (port: number, server: StratumServer, provider: FakeProvider) => Promise<void>): Promise<void> {
  const provider = options.provider instanceof FakeProvider ? options.provider : new FakeProvider();
  if (provider.currentWork() === undefined) provider.publish(makeWork(940410, 0x11));
  const server = new StratumServer({ logger: captureLog().logger, ...options, provider });
  const { port } = await server.listen({ transport: 'tcp' });
  try {
    await run(port, server, provider);
  } finally {
    await server.close();
  }
}

async function loggedIn(port: number): Promise<RawClient> {
  const client = await RawClient.tcp(port);
  client.send(login);
  assert.deepEqual(await client.next(), { id: 1, jsonrpc: '2.0', result: true });
  return client;
}

describe('stratum server: connection caps and the login deadline', () => {
  test('at the cap the oldest connection not logged in makes room; logged-in ones are never pushed out', () =>
    withServer({ limits: { maxConnections: 3 } }, async (port, server) => {
      const idle = [await RawClient.tcp(port), await RawClient.tcp(port), await RawClient.tcp(port)];
      await waitUntil(() => server.connectionCount === 3, 2000, 'three idle connections');
      const miners: RawClient[] = [];
      for (let i = 0; i < 3; i++) {
        miners.push(await loggedIn(port));
        await idle[i]!.whenClosed();
      }
      // Everyone left is logged in: a newcomer is refused and nobody is cut.
      const late = await RawClient.tcp(port);
      await late.whenClosed();
      for (const miner of miners) {
        miner.send({ id: 5, method: 'sero_getWork', params: [] });
        assert.equal(((await miner.next()).result as string[])[3], '940410');
        miner.destroy();
      }
    }));

  test('per-address cap: loopback is exempt by default and capped when asked', async () => {
    await withServer({ limits: { maxConnectionsPerAddress: 2 } }, async (port) => {
      const many = await Promise.all([1, 2, 3, 4].map(() => loggedIn(port)));
      many.forEach((client) => client.destroy());
    });
    await withServer({ limits: { maxConnectionsPerAddress: 2, limitLoopback: true } }, async (port, server) => {
      const first = await loggedIn(port);
      const second = await loggedIn(port);
      const third = await RawClient.tcp(port);
      await third.whenClosed();
      assert.equal(server.connectionCount, 2);
      first.destroy();
      second.destroy();
    });
  });

  test('a connection that never logs in is closed at the deadline, whatever it sends', () =>
    withServer({ limits: { loginTimeoutMs: 300 } }, async (port) => {
      const lurker = await RawClient.tcp(port);
      const started = Date.now();
      const chatter = setInterval(() => lurker.send('{"id":1}\n'), 50);
      try {
        await lurker.whenClosed(2000);
      } finally {
        clearInterval(chatter);
      }
      assert.ok(Date.now() - started >= 250, 'closed before the deadline');
      const miner = await loggedIn(port);
      await sleep(400);
      assert.equal(miner.closed, false, 'a logged-in miner outlives the login deadline');
      miner.destroy();
    }));
});

describe('stratum server: write backpressure', () => {
  test('a client pipelining getWork without reading is no longer read, then dropped; a good miner is served meanwhile', async () => {
    let served = 0;
    const provider = new FakeProvider();
    provider.publish(makeWork(940410, 0x11));
    const currentWork = provider.currentWork.bind(provider);
    provider.currentWork = () => {
      served += 1;
      return currentWork();
    };
    const log = captureLog();
    await withServer({ provider, logger: log.logger, limits: { writeBufferBytes: 16 * 1024, slowReaderMs: 500 } }, async (port) => {
      const request = Buffer.from(`${JSON.stringify({ id: 5, method: 'sero_getWork', params: [] })}\n`);
      const lines = Math.ceil((8 << 20) / request.length);
      const flood = net.connect({ host: '127.0.0.1', port });
      await once(flood, 'connect');
      flood.pause();
      flood.on('error', () => {});
      const dropped = new Promise((resolve) => flood.once('close', resolve));
      flood.write(Buffer.concat([Buffer.from(`${JSON.stringify(login)}\n`), ...Array.from({ length: lines }, () => request)]));
      const good = await loggedIn(port);
      good.send({ id: 5, method: 'sero_getWork', params: [] });
      assert.equal(((await good.next(2000)).result as string[])[3], '940410');
      await dropped;
      assert.ok(served < lines / 2, `${served} of ${lines} pipelined requests were answered before the drop`);
      await waitUntil(() => log.has(/does not read its replies/), 2000, 'the reason of the drop in the log');
      good.destroy();
    });
  });
});

/** Connects `times` times, sends `line` and expects -1 "Malformed request" and the door each time. */
async function malformedCycles(port: number, times: number, line: string): Promise<void> {
  for (let i = 1; i <= times; i++) {
    const client = await RawClient.tcp(port);
    client.send(line);
    assert.deepEqual((await client.next()).error, { code: -1, message: 'Malformed request' });
    await client.whenClosed();
  }
}

// These clients all come from 127.0.0.1, which is spared by default: the ban tests ask for
// loopback bans (--stratum-ban-loopback) to be held to the official pool's rules.
const BAN_LOOPBACK = { banLoopback: true } as const;

describe('stratum server: the official pool bans', () => {
  test('junk shares: banned within 30, answered 23 "Invalid share"; reconnects refused with -1 until the ban ends', () =>
    withServer({ limits: { bans: { ...BAN_LOOPBACK, banMs: 600 } } }, async (port, _server, provider) => {
      provider.decide = () => ({ kind: 'invalid', reason: 'mix mismatch' });
      const header = provider.currentWork()!.jobId;
      const flooder = await loggedIn(port);
      let sent = 0;
      let reply: Record<string, unknown>;
      do {
        flooder.send(share(100 + sent, BigInt(sent + 1), header));
        sent += 1;
        reply = await flooder.next();
      } while (reply.result === false && sent < 100);
      assert.equal(sent, 30, 'the official check threshold');
      assert.deepEqual(reply, { id: 129, jsonrpc: '2.0', result: null, error: { code: 23, message: 'Invalid share' } });
      await flooder.whenClosed();

      const again = await RawClient.tcp(port);
      again.send(login);
      const refused = await again.next();
      assert.equal(refused.id, 1);
      assert.equal((refused.error as { code: number }).code, -1);
      assert.match((refused.error as { message: string }).message, /^Banned: 30 invalid of 30 shares; try again in 1 s$/);
      await again.whenClosed();

      await sleep(650);
      provider.decide = () => ({ kind: 'accepted' });
      const forgiven = await loggedIn(port);
      forgiven.destroy();
    }));

  test('a valid share that trips the ratio is answered -1 "High rate of invalid shares"; an honest miner is not banned', () =>
    withServer({ limits: { bans: { ...BAN_LOOPBACK, checkThreshold: 10 } } }, async (port, _server, provider) => {
      const header = provider.currentWork()!.jobId;
      const honest = await loggedIn(port);
      let nonce = 1n;
      // 1 invalid in 10 is 1/9 of the valid ones: under 30 %.
      provider.decide = (s) => (s.nonce === 5n ? { kind: 'invalid' } : { kind: 'accepted' });
      for (let i = 0; i < 20; i++) {
        honest.send(share(200 + i, nonce++, header));
        await honest.next();
      }
      assert.equal(honest.closed, false);
      honest.destroy();

      const sloppy = await RawClient.tcp(port);
      sloppy.send(login);
      await sloppy.next();
      // 3 invalid then 7 valid: 3/7 >= 30 % when the tenth share, a valid one, comes in.
      provider.decide = (s) => (s.nonce < 1000n + 3n ? { kind: 'invalid' } : { kind: 'accepted' });
      const replies: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        sloppy.send(share(300 + i, 1000n + BigInt(i), header));
        replies.push(await sloppy.next());
      }
      assert.deepEqual(replies.at(-1), { id: 309, jsonrpc: '2.0', result: null, error: { code: -1, message: 'High rate of invalid shares' } });
      await sloppy.whenClosed();
    }));

  test('shares for headers never handed out count as invalid; shares for old jobs are only stale', () =>
    withServer({ limits: { bans: BAN_LOOPBACK } }, async (port, _server, provider) => {
      const oldJob = provider.currentWork()!.jobId;
      for (let h = 940411; h <= 940415; h++) provider.publish(makeWork(h, h & 0xff));
      const miner = await loggedIn(port);
      for (let i = 0; i < 40; i++) {
        miner.send(share(400 + i, BigInt(i + 1), oldJob));
        const reply = await miner.next();
        if (Array.isArray(reply.result)) {
          i -= 1; // a job push
          continue;
        }
        assert.deepEqual(reply, { id: 400 + i, jsonrpc: '2.0', result: false });
      }
      assert.equal(miner.closed, false, 'stale shares do not ban');
      for (let i = 0; i < 30; i++) miner.send(share(500 + i, BigInt(i + 1), hex32(0xee)));
      let last: Record<string, unknown>;
      do last = await miner.next();
      while (last.error === undefined);
      assert.deepEqual(last.error, { code: 23, message: 'Invalid share' });
      await miner.whenClosed();
    }));

  test('malformed requests: the fifth one bans, even across reconnects', () =>
    withServer({ limits: { bans: BAN_LOOPBACK } }, async (port) => {
      await malformedCycles(port, 5, '{"id":1,"method":\n');
      const banned = await RawClient.tcp(port);
      banned.send(login);
      assert.match(((await banned.next()).error as { message: string }).message, /^Banned: 5 malformed requests/);
      await banned.whenClosed();
    }));

  test('a socket flood bans at once and cuts the other connections of the address', () =>
    withServer({ limits: { bans: BAN_LOOPBACK } }, async (port) => {
      const bystander = await loggedIn(port);
      const flooder = await RawClient.tcp(port);
      flooder.send(`${'x'.repeat(2000)}\n`);
      assert.deepEqual((await flooder.next()).error, { code: -1, message: 'Socket flood' });
      await flooder.whenClosed();
      await bystander.whenClosed();
    }));

  test('loopback is spared by default: the offending connection is answered and closed, nothing is banned', async () => {
    const log = captureLog();
    await withServer({ logger: log.logger }, async (port, _server, provider) => {
      const bystander = await loggedIn(port);
      await malformedCycles(port, 6, '{"id":1,"method":\n');
      const flooder = await RawClient.tcp(port);
      flooder.send(`${'x'.repeat(2000)}\n`);
      assert.deepEqual((await flooder.next()).error, { code: -1, message: 'Socket flood' });
      await flooder.whenClosed();
      provider.decide = () => ({ kind: 'invalid', reason: 'mix mismatch' });
      const junk = await loggedIn(port);
      const header = provider.currentWork()!.jobId;
      let reply: Record<string, unknown>;
      let sent = 0;
      do {
        junk.send(share(700 + sent, BigInt(sent + 1), header));
        sent += 1;
        reply = await junk.next();
      } while (reply.result === false && sent < 100);
      assert.equal(sent, 30);
      assert.deepEqual(reply.error, { code: 23, message: 'Invalid share' }, 'the junk sender is answered as the official pool answers');
      await junk.whenClosed();

      provider.decide = () => ({ kind: 'accepted' });
      const next = await loggedIn(port);
      next.send(share(800, 1n, header));
      assert.deepEqual(await next.next(), { id: 800, jsonrpc: '2.0', result: true });
      assert.equal(bystander.closed, false, 'the well-behaved miner on the same address keeps its connection');
      next.destroy();
      bystander.destroy();
    });
    assert.ok(log.has(/not banning 127\.0\.0\.1 \(loopback\), only closing this connection: 5 malformed requests/), log.lines.join('\n'));
    assert.ok(!log.has(/\bbanned 127/), log.lines.join('\n'));
  });

  test('a whitelisted address is never banned, loopback bans or not', () =>
    withServer({ limits: { bans: { ...BAN_LOOPBACK, whitelist: ['127.0.0.1'] } } }, async (port) => {
      await malformedCycles(port, 6, 'not json\n');
      (await loggedIn(port)).destroy();
    }));

  test('repeated lines of one address are folded into one counted summary', async () => {
    const log = captureLog();
    await withServer({ logger: log.logger, limits: { bans: { banMs: 0 } } }, async (port, _server, provider) => {
      provider.decide = () => ({ kind: 'invalid', reason: 'mix mismatch' });
      const header = provider.currentWork()!.jobId;
      const miner = await loggedIn(port);
      for (let i = 0; i < 200; i++) miner.send(share(600 + i, BigInt(i + 1), header));
      for (let i = 0; i < 200; i++) await miner.next();
      miner.destroy();
    });
    const invalid = log.lines.filter((line) => /^info \[stratum [^\]]+\] invalid share from/.test(line));
    assert.equal(invalid.length, 1, invalid.join('\n'));
    assert.ok(log.has(/199 more "invalid share" from 127\.0\.0\.1 in the last 60 s/), log.lines.join('\n'));
  });
});

describe('stratum server: WebSocket origins', () => {
  const open = (port: number, origin?: string): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, origin === undefined ? {} : { origin });
      ws.once('open', () => {
        ws.terminate();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', () => resolve(0));
    });

  test('miners (no Origin) and pages served on loopback connect; pages of other origins are refused unless allowed', async () => {
    const guard = stratumWebSocketGuard(['http://192.168.7.2:8100']);
    const server = new StratumServer({ provider: new FakeProvider(), logger: captureLog().logger, webSocketGuard: guard });
    const { port } = await server.listen({ transport: 'ws' });
    try {
      assert.equal(await open(port), 101);
      assert.equal(await open(port, 'http://evil.example'), 403);
      assert.equal(await open(port, 'http://localhost.evil.example:8011'), 403, 'a name that merely starts like localhost');
      assert.equal(await open(port, 'http://10.0.0.9:8011'), 403, 'a LAN page not listed');
      // sero-miner web on this machine: only a local process can serve these origins
      for (const origin of ['http://127.0.0.1:8011', 'http://localhost:8011', 'http://[::1]:8011']) assert.equal(await open(port, origin), 101, origin);
      assert.equal(await open(port, 'http://192.168.7.2:8100'), 101);
      guard.allowOrigin('http://farm.lan:8200');
      assert.equal(await open(port, 'http://farm.lan:8200'), 101);
    } finally {
      await server.close();
    }
  });
});
