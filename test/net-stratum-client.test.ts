import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { LineChannel, LineConnectOptions } from '../src/net/wire/line-transport.js';
import { SocketLineChannel } from '../src/net/wire/socket-channels.js';
import { connectLineChannel } from '../src/net/client/line-connector.js';
import { LoginRefusedError, type ShareResult } from '../src/net/client/pool-client.js';
import { StratumClient, type StratumClientOptions } from '../src/net/client/stratum-client.js';
import { StratumServer } from '../src/net/server/stratum/server.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import type { CandidateNotice, OutcomeNotice, VoteNotice } from '../src/net/wire/vote-extension.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import { FakeProvider, LOGIN, SEED_EPOCH_31, SHARE_TARGET_200K, TLS_CERT, TLS_KEY, captureLog, makeWork, waitUntil } from './fixtures/net-helpers.js';

const MIX = new Uint8Array(32).fill(0x84);
const nextEvent = <T>(client: StratumClient, event: 'work' | 'candidate' | 'vote' | 'outcome' | 'share' | 'disconnected'): Promise<T> =>
  once(client, event).then(([value]) => value as T);

describe('stratum client against our server', () => {
  const provider = new FakeProvider();
  const serverLog = captureLog();
  const server = new StratumServer({ provider, logger: serverLog.logger });
  const ports: Record<string, number> = {};

  before(async () => {
    provider.publish(makeWork(940410, 0x11));
    ports.tcp = (await server.listen({ transport: 'tcp' })).port;
    ports.tls = (await server.listen({ transport: 'tls', tls: { key: TLS_KEY, cert: TLS_CERT } })).port;
    ports.ws = (await server.listen({ transport: 'ws' })).port;
    ports.wss = (await server.listen({ transport: 'wss', tls: { key: TLS_KEY, cert: TLS_CERT } })).port;
  });
  after(() => server.close());

  test('tcp: login, first job, share accepted, new job, stale share, hashrate report, vote notices', async () => {
    const log = captureLog();
    const client = new StratumClient({
      uri: parsePoolUri(`stratum1+tcp://${LOGIN}.rig07@127.0.0.1:${ports.tcp}`),
      logger: log.logger,
      hashrateIntervalMs: 50,
      hashrate: () => 12345,
    });
    const firstWork = nextEvent<WorkPackage>(client, 'work');
    await client.connect();
    assert.equal(client.voteNoticesEnabled, true);
    const work = await firstWork;
    assert.equal(work.height, 940410);
    assert.equal(work.target, BigInt(SHARE_TARGET_200K));
    assert.equal(Buffer.from(work.seedHash).toString('hex'), SEED_EPOCH_31.slice(2));

    const accepted = await client.submit({ work, nonce: 0xfec1e9c065c782d6n, mixDigest: MIX });
    assert.equal(accepted.status, 'accepted');
    const seen = provider.shares.at(-1)!;
    assert.equal(seen.share.nonce, 0xfec1e9c065c782d6n);
    assert.deepEqual(seen.share.mixDigest, MIX);
    assert.equal(seen.context.worker, 'rig07');

    const pushed = nextEvent<WorkPackage>(client, 'work');
    provider.publish(makeWork(940411, 0x12));
    assert.equal((await pushed).height, 940411);

    provider.decide = () => ({ kind: 'invalid' });
    const stale = await client.submit({ work, nonce: 1n, mixDigest: MIX });
    assert.deepEqual([stale.status, stale.message], ['stale', 'pool answered false']);
    const rejected = await client.submit({ work: client.work!, nonce: 2n, mixDigest: MIX });
    assert.equal(rejected.status, 'rejected');
    provider.decide = () => ({ kind: 'accepted', block: true });

    await waitUntil(() => provider.hashrates.some((r) => r.worker === 'rig07'), 1000, 'hashrate report');
    assert.equal(provider.hashrates.find((r) => r.worker === 'rig07')!.rate, 12345n);

    const block = await client.submit({ work: client.work!, nonce: 3n, mixDigest: MIX });
    assert.equal(block.status, 'accepted');
    const candidate = nextEvent<CandidateNotice>(client, 'candidate');
    const vote = nextEvent<VoteNotice>(client, 'vote');
    const outcome = nextEvent<OutcomeNotice>(client, 'outcome');
    provider.notify(provider.shares.length - 1, { type: 'candidate', votesNeeded: 3, windowMs: 20000, reward: 45n * 10n ** 18n });
    provider.notify(provider.shares.length - 1, { type: 'vote', shareId: new Uint8Array(32).fill(5), isPool: true, votes: 1 });
    provider.notify(provider.shares.length - 1, { type: 'outcome', status: 'confirmed', votes: 3, blockHash: new Uint8Array(32).fill(9) });
    const c = await candidate;
    assert.deepEqual([c.nonce, c.height, c.votesNeeded, c.windowMs, c.reward], [3n, 940411, 3, 20000, 45n * 10n ** 18n]);
    const v = await vote;
    assert.deepEqual([v.nonce, v.height, v.votes, v.isPool, v.shareId[0]], [3n, 940411, 1, true, 5]);
    assert.deepEqual(v.headerHash, client.work!.headerHash);
    const o = await outcome;
    assert.deepEqual([o.status, o.votes, o.blockHash?.[31]], ['confirmed', 3, 9]);

    const gone = nextEvent<string>(client, 'disconnected');
    client.close();
    assert.equal(await gone, 'closed by miner');
    const notSent = await client.submit({ work, nonce: 4n, mixDigest: MIX });
    assert.deepEqual([notSent.status, notSent.unanswered], ['dropped', undefined], 'never sent');
  });

  for (const transport of ['tls', 'ws', 'wss'] as const) {
    test(`${transport}: connect with the test CA, get work, share accepted`, async () => {
      const client = new StratumClient({
        uri: parsePoolUri(`stratum1+${transport}://${LOGIN}.rig@127.0.0.1:${ports[transport]}`),
        logger: captureLog().logger,
        tls: { ca: TLS_CERT },
      });
      const firstWork = nextEvent<WorkPackage>(client, 'work');
      await client.connect();
      const work = await firstWork;
      // Distinct nonces: the same share on another connection would be a duplicate.
      const nonce = BigInt(1000 + ports[transport]!);
      assert.equal((await client.submit({ work, nonce, mixDigest: MIX })).status, 'accepted');
      assert.equal(provider.shares.at(-1)!.share.nonce, nonce);
      client.close();
    });
  }

  test('tls: a certificate from an unknown CA is refused', async () => {
    const client = new StratumClient({ uri: parsePoolUri(`stratum1+tls://${LOGIN}@127.0.0.1:${ports.tls}`), logger: captureLog().logger });
    await assert.rejects(client.connect(), /self[- ]signed|unable to verify/i);
  });

  test('tls12 pins TLS 1.2 and still connects', async () => {
    let channel: LineChannel | undefined;
    const connector = async (options: LineConnectOptions) => (channel = await connectLineChannel(options));
    const client = new StratumClient({ uri: parsePoolUri(`stratum1+tls12://${LOGIN}@127.0.0.1:${ports.tls}`), logger: captureLog().logger, tls: { ca: TLS_CERT }, connector });
    await client.connect();
    assert.ok(channel instanceof SocketLineChannel);
    assert.equal(channel.tlsProtocol, 'TLSv1.2', 'the server offers TLS 1.3 too');
    client.close();
  });

  test('a refused login rejects connect() with the pool message', async () => {
    const strict = new StratumServer({ provider, logger: captureLog().logger, validateLogin: (login) => login.startsWith('2') });
    const { port } = await strict.listen({ transport: 'tcp' });
    try {
      const client = new StratumClient({ uri: parsePoolUri(`stratum1+tcp://nobody@127.0.0.1:${port}`), logger: captureLog().logger });
      await assert.rejects(client.connect(), (err: Error) => err instanceof LoginRefusedError && /^stratum1\+tcp:\/\/nobody@127\.0\.0\.1:\d+ refused the login "nobody": -1 Invalid login$/.test(err.message));
    } finally {
      await strict.close();
    }
  });
});

/** How a scripted pool answers each line a client sends. */
type PoolScript = (line: Record<string, unknown>, write: (text: string) => void) => void;

/** A pool that answers with whatever the test scripts. */
async function hostilePool(onLine: PoolScript): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        onLine(JSON.parse(line) as Record<string, unknown>, (text) => socket.write(text));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const HEADER = `0x${'ab'.repeat(32)}`;
const GOOD_JOB = [HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '940412'];

/** Writes a JSON-RPC 2.0 result line, as a pool replies. */
const reply = (write: (text: string) => void, id: number | null, result: unknown): void => write(`${JSON.stringify({ id, jsonrpc: '2.0', result })}\n`);

/** A scripted pool and a client of it (login `user`), both closed after `body`. */
async function withHostilePool(
  script: PoolScript,
  options: Omit<StratumClientOptions, 'uri' | 'logger'> & { readonly user?: string },
  body: (client: StratumClient, log: ReturnType<typeof captureLog>) => Promise<void>,
): Promise<void> {
  const pool = await hostilePool(script);
  const log = captureLog();
  const { user = LOGIN, ...settings } = options;
  const client = new StratumClient({ uri: parsePoolUri(`stratum1+tcp://${user}@127.0.0.1:${pool.port}`), logger: log.logger, ...settings });
  try {
    await body(client, log);
  } finally {
    client.close();
    await pool.close();
  }
}

describe('stratum client against a hostile pool', () => {
  test('garbage, oversized lines, bad and height-less jobs are logged and skipped; the good job gets through', async () => {
    const received: Array<Record<string, unknown>> = [];
    const script: PoolScript = (message, write) => {
      received.push(message);
      if (message.method === 'sero_submitLogin') reply(write, 1, true);
      if (message.method !== 'sero_getWork') return;
      const push = (result: unknown): void => reply(write, 0, result);
      write('this is not json\n');
      write('[1,2,3]\n');
      write(`{"id":0,"result":["${'f'.repeat(40_000)}"]}\n`);
      push([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K]);
      push([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '900000']);
      push([HEADER.slice(0, 40), SEED_EPOCH_31, SHARE_TARGET_200K, '940412']);
      push([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, 'soon']);
      write(`${JSON.stringify({ id: 0, jsonrpc: '1.0', result: GOOD_JOB })}\n`);
      write(`${JSON.stringify({ jsonrpc: '2.0', method: 'sero_blockVote', params: { headerHash: '0x12' } })}\n`);
      write(`${JSON.stringify({ jsonrpc: '2.0', method: 'pool.surprise', params: [] })}\n`);
      write(`${JSON.stringify({ id: 77, jsonrpc: '2.0', method: 'client.get_version', params: [] })}\n`);
      write(`${JSON.stringify({ id: 78, jsonrpc: '2.0', method: 'client.reboot', params: [] })}\n`);
      push(GOOD_JOB);
    };
    await withHostilePool(script, { agent: 'sero-miner-test' }, async (client, log) => {
      const works: WorkPackage[] = [];
      client.on('work', (w) => works.push(w));
      await client.connect();
      await waitUntil(() => works.length > 0 && received.some((m) => m.id === 78), 2000, 'the good job');
      assert.equal(works.length, 1);
      assert.deepEqual([works[0]!.jobId, works[0]!.height], [HEADER, 940412]);
      for (const pattern of [
        /ignoring unparseable line from pool: "this is not json"/,
        /ignoring non-object message/,
        /skipped a line of \d+\+ bytes/,
        /refusing job: job has no block height/,
        /refusing job: job height 900000 is below the ProgPoW activation height 940410/,
        /refusing job: job header hash: .*38 digits/,
        /refusing job: job height must be decimal or 0x hex/,
        /ignoring message with jsonrpc "1.0"/,
        /ignoring malformed sero_blockVote: headerHash/,
        /unknown method "pool.surprise"/,
      ]) {
        assert.ok(log.has(pattern), `missing log line ${pattern}`);
      }
      assert.deepEqual(received.find((m) => m.id === 77), { id: 77, jsonrpc: '2.0', result: 'sero-miner-test' });
      assert.deepEqual(received.find((m) => m.id === 78), { id: 78, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } });
      // Still connected and usable.
      const login = received.find((m) => m.method === 'sero_submitLogin')!;
      assert.deepEqual(login, { id: 1, method: 'sero_submitLogin', params: [LOGIN, 'X'], extensions: ['sero-votes/1'] });
    });
  });

  test('block notices count only for shares submitted on this connection, for the header they were submitted with', async () => {
    const ref = (nonce: string, headerHash = HEADER) => ({ headerHash, nonce, height: 940412 });
    const outcome = (params: object) => `${JSON.stringify({ jsonrpc: '2.0', method: 'sero_blockOutcome', params: { ...params, status: 'confirmed', votes: 3 } })}\n`;
    const script: PoolScript = (message, write) => {
      if (message.method === 'sero_submitLogin') reply(write, 1, true);
      if (message.method === 'sero_getWork') reply(write, 5, GOOD_JOB);
      if (message.method !== 'sero_submitWork') return;
      reply(write, message.id as number, true);
      write(outcome(ref('0x00000000000000ff'))); // never submitted
      write(outcome(ref('0x0000000000000007', `0x${'cd'.repeat(32)}`))); // submitted, for another header
      write(outcome(ref('0x0000000000000007'))); // the share as submitted
    };
    await withHostilePool(script, {}, async (client, log) => {
      const outcomes: OutcomeNotice[] = [];
      client.on('outcome', (o) => outcomes.push(o));
      const firstWork = nextEvent<WorkPackage>(client, 'work');
      await client.connect();
      assert.equal((await client.submit({ work: await firstWork, nonce: 7n, mixDigest: MIX })).status, 'accepted');
      await waitUntil(() => outcomes.length > 0, 2000, 'the notice for the submitted share');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(outcomes.map((o) => [o.nonce, Buffer.from(o.headerHash).toString('hex')]), [[7n, HEADER.slice(2)]]);
      assert.ok(log.has(/warn .*ignoring a block outcome notice for nonce 0x00000000000000ff at height 940412: no such share was submitted on this connection/), log.lines.join('\n'));
    });
  });

  test('a local error while handling a well-formed notice is reported as ours, never as the pool\'s malformed input', async () => {
    const candidate = (nonce: string) => `${JSON.stringify({ jsonrpc: '2.0', method: 'sero_blockCandidate', params: { headerHash: HEADER, nonce, height: 940412, votesNeeded: 3, windowMs: 1000, reward: '45' } })}\n`;
    const script: PoolScript = (message, write) => {
      if (message.method === 'sero_submitLogin') reply(write, 1, true);
      if (message.method === 'sero_getWork') reply(write, 5, GOOD_JOB);
      if (message.method !== 'sero_submitWork') return;
      reply(write, message.id as number, true);
      write(candidate('0x0000000000000007'));
      write(`${JSON.stringify({ jsonrpc: '2.0', method: 'sero_blockCandidate', params: { headerHash: HEADER, nonce: '0x07', height: 940412 } })}\n`);
    };
    await withHostilePool(script, {}, async (client, log) => {
      let handled = 0;
      client.on('candidate', () => {
        handled++;
        throw new Error("EEXIST: file already exists, mkdir '/tmp/a-file/ledger.jsonl'");
      });
      const firstWork = nextEvent<WorkPackage>(client, 'work');
      await client.connect();
      assert.equal((await client.submit({ work: await firstWork, nonce: 7n, mixDigest: MIX })).status, 'accepted');
      await waitUntil(() => log.has(/ignoring malformed sero_blockCandidate: (?!EEXIST)/), 2000, 'the malformed notice logged');
      assert.equal(handled, 1);
      const ours = log.lines.filter((l) => l.includes('EEXIST'));
      assert.equal(ours.length, 1, log.lines.join('\n'));
      assert.match(ours[0]!, /^error .*handling the pool's sero_blockCandidate for nonce 0x0000000000000007 at height 940412 failed here, not at the pool: EEXIST/);
      assert.doesNotMatch(ours[0]!, /malformed/);
      assert.ok(log.has(/^warn .*ignoring malformed sero_blockCandidate: nonce/), 'input that is malformed is still called so');
    });
  });

  test('no reply to a share within the response timeout: dropped, then disconnect', async () => {
    const script: PoolScript = (message, write) => {
      if (message.method === 'sero_submitLogin') reply(write, 999, true);
      if (message.method === 'sero_getWork') reply(write, 5, GOOD_JOB);
    };
    await withHostilePool(script, { user: `${LOGIN}.w`, responseTimeoutMs: 100 }, async (client) => {
      const firstWork = nextEvent<WorkPackage>(client, 'work');
      await client.connect(); // the login reply used the id-999 quirk
      const work = await firstWork;
      const gone = nextEvent<string>(client, 'disconnected');
      const result: ShareResult = await client.submit({ work, nonce: 1n, mixDigest: MIX });
      assert.equal(result.status, 'dropped');
      assert.equal(result.unanswered, true, 'it went out: the pool may have taken it');
      assert.match(result.message!, /no reply to sero_submitWork within 100 ms/);
      assert.equal(await gone, 'response timeout');
    });
  });

  test('Nanopool-style mining.notify jobs are accepted; a pool closing during login rejects connect', async () => {
    const script: PoolScript = (message, write) => {
      if (message.method === 'sero_submitLogin') reply(write, 1, true);
      if (message.method === 'sero_getWork') write(`${JSON.stringify({ id: null, method: 'mining.notify', params: ['job1', ...GOOD_JOB] })}\n`);
    };
    await withHostilePool(script, {}, async (client) => {
      const firstWork = nextEvent<WorkPackage>(client, 'work');
      await client.connect();
      assert.equal((await firstWork).height, 940412);
    });
    const closer = await hostilePool(() => {});
    const refused = new StratumClient({ uri: parsePoolUri(`stratum1+tcp://${LOGIN}@127.0.0.1:${closer.port}`), logger: captureLog().logger, responseTimeoutMs: 2000 });
    const connecting = refused.connect();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await closer.close();
    await assert.rejects(connecting, /connection closed before the reply to sero_submitLogin/);
  });
});
