import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import type { PoolClient, PoolClientEvents, ShareResult } from '../src/net/client/pool-client.js';
import { PoolManager, type PoolManagerOptions } from '../src/net/client/pool-manager.js';
import { StratumServer } from '../src/net/server/stratum/server.js';
import type { PoolUri } from '../src/net/wire/uri.js';
import type { VoteNotice } from '../src/net/wire/vote-extension.js';
import { type WorkPackage, workToWire } from '../src/net/wire/work.js';
import { FakeProvider, LOGIN, captureLog, makeWork, sleep, waitUntil } from './fixtures/net-helpers.js';

interface Pool {
  provider: FakeProvider;
  server: StratumServer;
  port: number;
}

async function startPool(height: number, port = 0): Promise<Pool> {
  const provider = new FakeProvider();
  provider.publish(makeWork(height, height & 0xff));
  const server = new StratumServer({ provider, logger: captureLog().logger });
  const endpoint = await server.listen({ transport: 'tcp', port });
  return { provider, server, port: endpoint.port };
}

const uriOf = (pool: Pool, worker: string): string => `stratum1+tcp://${LOGIN}.${worker}@127.0.0.1:${pool.port}`;

interface Pools {
  /** Local pools by worker name, in failover order; a test may restart one in place. */
  pools: Record<string, Pool>;
  manager: PoolManager;
  log: ReturnType<typeof captureLog>;
}

/** A pool per worker at its first job height and a (not started) manager over them; all stopped and closed after `body`. */
async function withPools(heights: Record<string, number>, options: Omit<PoolManagerOptions, 'pools' | 'logger'>, body: (setup: Pools) => Promise<void>): Promise<void> {
  const pools: Record<string, Pool> = {};
  for (const [worker, height] of Object.entries(heights)) pools[worker] = await startPool(height);
  const log = captureLog();
  const manager = new PoolManager({ pools: Object.entries(pools).map(([worker, pool]) => uriOf(pool, worker)), logger: log.logger, ...options });
  try {
    await body({ pools, manager, log });
  } finally {
    manager.stop();
    for (const pool of Object.values(pools)) await pool.server.close();
  }
}

describe('pool manager', () => {
  test('first pool dies: moves to the second; first comes back: returns to it', async () => {
    const options = { retriesPerPool: 2, backoff: { initialMs: 20, maxMs: 80 }, primaryRetryMs: 100, workTimeoutMs: 5000 };
    await withPools({ a: 940410, b: 940500 }, options, async ({ pools, manager, log }) => {
      const secondary = pools.b!;
      const events: string[] = [];
      const works: Array<[number, number]> = [];
      manager.on('connected', (pool) => events.push(`connected ${pool.port}`));
      manager.on('disconnected', (pool) => events.push(`disconnected ${pool.port}`));
      manager.on('switched', (from, to) => events.push(`switched ${from?.port ?? '-'}>${to.port}`));
      manager.on('work', (work, pool) => works.push([work.height, pool.port]));
      const primaryPort = pools.a!.port;
      manager.start();
      await waitUntil(() => works.length === 1, 2000, 'work from the primary');
      assert.deepEqual(works[0], [940410, primaryPort]);
      assert.equal(manager.activePool?.port, primaryPort);

      await pools.a!.server.close();
      await waitUntil(() => works.some(([, port]) => port === secondary.port), 3000, 'work from the secondary');
      assert.equal(manager.activePool?.port, secondary.port);
      assert.ok(log.has(/giving up on stratum1\+tcp:\/\/.*\.a@127\.0\.0\.1:\d+ for now/));

      // The secondary keeps the miner fed while the primary is down.
      secondary.provider.publish(makeWork(940501, 0x01));
      await waitUntil(() => works.some(([h]) => h === 940501), 1000, 'pushed work from the secondary');

      pools.a = await startPool(940420, primaryPort);
      await waitUntil(() => works.some(([h, port]) => h === 940420 && port === primaryPort), 3000, 'return to the primary');
      assert.equal(manager.activePool?.port, primaryPort);
      assert.deepEqual(
        events.filter((e) => e.startsWith('switched')),
        [`switched ->${primaryPort}`, `switched ${primaryPort}>${secondary.port}`, `switched ${secondary.port}>${primaryPort}`],
      );
      assert.ok(events.includes(`disconnected ${secondary.port}`), 'the secondary session was closed on return');
      await waitUntil(() => secondary.server.sessionCount === 0, 1000, 'secondary session closed');
    });
  });

  test('a pool that stops sending work is left for the next one', async () => {
    const options = { retriesPerPool: 1, backoff: { initialMs: 10, maxMs: 20 }, workTimeoutMs: 150, primaryRetryMs: 0 };
    await withPools({ s: 940410, l: 940600 }, options, async ({ pools, manager, log }) => {
      const lively = pools.l!;
      let height = 940600;
      const ticker = setInterval(() => lively.provider.publish(makeWork(++height, height & 0xff)), 40);
      try {
        manager.start();
        await waitUntil(() => manager.activePool?.port === lively.port, 2000, 'failover after silence');
        assert.ok(log.has(/lost stratum1\+tcp:\/\/.*\.s@127\.0\.0\.1:\d+: no new work for 150 ms/));
        await sleep(300);
        assert.equal(manager.activePool?.port, lively.port, 'a pool that keeps sending work is kept');
      } finally {
        clearInterval(ticker);
      }
    });
  });

  test('shares, votes and outcomes flow through; shares for another pool\'s job are dropped', async () => {
    await withPools({ m: 940410 }, { workTimeoutMs: 5000 }, async ({ pools, manager }) => {
      const shares: ShareResult[] = [];
      const votes: VoteNotice[] = [];
      manager.on('share', (result) => shares.push(result));
      manager.on('vote', (notice) => votes.push(notice));
      const dropped = await manager.submit({ work: makeWork(940410, 1), nonce: 1n, mixDigest: new Uint8Array(32) });
      assert.deepEqual([dropped.status, dropped.message], ['dropped', 'not connected to any pool']);
      manager.start();
      await waitUntil(() => manager.currentWork !== undefined, 2000, 'work');
      const work = manager.currentWork as WorkPackage;
      pools.m!.provider.decide = () => ({ kind: 'accepted', block: true });
      assert.equal((await manager.submit({ work, nonce: 5n, mixDigest: new Uint8Array(32) })).status, 'accepted');
      pools.m!.provider.notify(0, { type: 'vote', shareId: new Uint8Array(32).fill(3), isPool: false, votes: 2 });
      await waitUntil(() => votes.length === 1, 1000, 'vote');
      assert.deepEqual([votes[0]!.nonce, votes[0]!.votes], [5n, 2]);
      assert.deepEqual(shares.map((s) => s.status), ['dropped', 'accepted']);
    });
  });

  test('reconnect attempts back off exponentially up to the cap', async () => {
    const attempts: number[] = [];
    const failing = (uri: PoolUri): PoolClient =>
      Object.assign(new EventEmitter<PoolClientEvents>(), {
        uri,
        work: undefined,
        connect: async () => {
          attempts.push(Date.now());
          throw new Error('connection refused');
        },
        submit: async () => {
          throw new Error('unused');
        },
        close: () => {},
      });
    const log = captureLog();
    const manager = new PoolManager({ pools: ['stratum1+tcp://x@127.0.0.1:1'], logger: log.logger, createClient: failing, backoff: { initialMs: 20, factor: 2, maxMs: 100 } });
    manager.start();
    await waitUntil(() => attempts.length >= 6, 3000, 'six attempts');
    manager.stop();
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    const expected = [20, 40, 80, 100, 100];
    gaps.slice(0, 5).forEach((gap, i) => assert.ok(gap >= expected[i]! - 2 && gap < expected[i]! + 60, `gap ${i} was ${gap} ms, expected about ${expected[i]}`));
    assert.ok(log.has(/cannot connect to stratum1\+tcp:\/\/x@127\.0\.0\.1:1: connection refused/));
    const count = attempts.length;
    await sleep(150);
    assert.equal(attempts.length, count, 'attempts continued after stop()');
  });

  test('a pool that drops every session right after its job is not hammered: young sessions back off', async () => {
    const connections: number[] = [];
    let lifetimeMs = 20;
    const resetting = net.createServer((socket) => {
      connections.push(Date.now());
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.write('{"id":1,"jsonrpc":"2.0","result":true}\n');
        socket.write(`${JSON.stringify({ id: 0, jsonrpc: '2.0', result: workToWire(makeWork(940410, connections.length)) })}\n`);
        setTimeout(() => socket.destroy(), lifetimeMs);
      });
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const port = (resetting.address() as net.AddressInfo).port;
    const log = captureLog();
    const manager = new PoolManager({
      pools: [`stratum1+tcp://${LOGIN}.r@127.0.0.1:${port}`],
      logger: log.logger,
      backoff: { initialMs: 50, maxMs: 400 },
      stableSessionMs: 300,
    });
    try {
      manager.start();
      await sleep(1500);
      // Reconnecting at once after each job made hundreds of connections; backing off: 50+100+200+400+400 ms.
      assert.ok(connections.length >= 4 && connections.length <= 7, `${connections.length} connections in 1.5 s`);
      assert.ok(log.has(/the session lasted only \d+ ms: backing off/));
      // A session that lived past the stable mark is followed by an immediate reconnect.
      lifetimeMs = 400;
      const before = connections.length;
      await waitUntil(() => connections.length >= before + 3, 5000, 'stable sessions');
      const gaps = connections.slice(-2).map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]!));
      assert.ok(gaps[1]! < lifetimeMs + 150, `a stable session was followed by a ${gaps[1]} ms wait`);
    } finally {
      manager.stop();
      resetting.close();
    }
  });

  test('the submission cap: a share the miner knows is a block is sent anyway; an ordinary target is searched as the pool sent it', async () => {
    // 1 MH/s against share difficulty 200,000 is 5 shares a second, an ordinary pool's rate: a
    // harder search would cost the pool's credit and block solutions alike. Over the cap (1/s
    // here) shares are dropped unsent, but never one the miner knows is a block.
    const options = { workTimeoutMs: 5000, submitRate: { perSecond: 1, burst: 1 }, client: { hashrate: () => 1_000_000 } };
    await withPools({ c: 940410 }, options, async ({ pools, manager }) => {
      const searched: WorkPackage[] = [];
      manager.on('work', (work) => searched.push(work));
      manager.start();
      await waitUntil(() => searched.length === 1, 2000, 'work');
      const work = searched[0]!;
      assert.equal(work.target, pools.c!.provider.currentWork()!.target, 'the pool\'s own target is searched');
      const statuses: string[] = [];
      for (let nonce = 1n; nonce <= 4n; nonce++) {
        statuses.push((await manager.submit({ work, nonce, mixDigest: new Uint8Array(32), ...(nonce >= 3n ? { block: true } : {}) })).status);
      }
      assert.deepEqual(statuses, ['accepted', 'dropped', 'accepted', 'accepted'], 'over the cap only the share not known to be a block is dropped');
      assert.deepEqual(pools.c!.provider.shares.map((s) => s.share.nonce), [1n, 3n, 4n]);
    });
  });

  test('bad pool URIs are refused up front', () => {
    assert.throws(() => new PoolManager({ pools: ['stratum1+tcp://x@127.0.0.1:1', 'stratum+tcp://x@h:1'] }), /no block height/);
    assert.throws(() => new PoolManager({ pools: [] }), /no pools configured/);
  });
});
