// The miner under failure: a pool dying and coming back, a hostile pool, a crash mid-block.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startDevnet, type Devnet } from '../src/devnet/index.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { Ledger } from '../src/miner/reward-ledger.js';
import { parsePoolUri } from '../src/net/uri.js';
import type { LogLevel } from '../src/util/log.js';
import { waitUntil } from './fixtures/net-helpers.js';
import { repoRoot } from './support/vectors.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-mine-'));
const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());

const devnetAt = (stratumPort = 0) => startDevnet({
  dag: 'small', initialDifficulty: 2000n, stratumPort, stratumTlsPort: null, stratumWsPort: null, logger: () => {},
});
const uriOf = (d: Devnet, worker: string) => parsePoolUri(d.endpoints.stratum.replace('://', `://devnet-miner.${worker}@`));
const portOf = (d: Devnet) => Number(new URL(d.endpoints.stratum).port);

test('the pool dies mid-run: the miner fails over, and returns when the primary is back', async () => {
  let primary = await devnetAt();
  const secondary = await devnetAt();
  const primaryPort = portOf(primary);
  const switches: string[] = [];
  const s = startMiningSession({
    pools: [uriOf(primary, 'a'), uriOf(secondary, 'b')], backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed',
    logger: () => {}, batchMs: 200,
    poolOptions: { retriesPerPool: 1, backoff: { initialMs: 100, maxMs: 500, factor: 2 }, primaryRetryMs: 500 },
  });
  s.pools.on('switched', (from, to) => { if (from) switches.push(to.port === primaryPort ? 'primary' : 'secondary'); });
  const acceptedOn = new Map<string, number>();
  s.miner.on('share', (r) => {
    if (r.status !== 'accepted') return;
    const where = s.pools.activePool?.port === primaryPort ? 'primary' : 'secondary';
    acceptedOn.set(where, (acceptedOn.get(where) ?? 0) + 1);
  });
  try {
    await waitUntil(() => (acceptedOn.get('primary') ?? 0) > 0, 60_000, 'a share on the primary');
    await primary.close();
    await waitUntil(() => (acceptedOn.get('secondary') ?? 0) > 0, 60_000, 'a share on the failover pool');
    const beforeReturn = acceptedOn.get('primary')!;
    primary = await devnetAt(primaryPort);
    await waitUntil(() => acceptedOn.get('primary')! > beforeReturn, 60_000, 'a share on the primary again');
  } finally {
    await s.stop();
    await primary.close();
    await secondary.close();
  }
  assert.deepEqual(switches.slice(0, 2), ['secondary', 'primary']);
});

test('a hostile pool (garbage, oversized lines, bad hex, no height) is logged and survived', async () => {
  const job = (fields: unknown[]) => JSON.stringify({ id: 0, jsonrpc: '2.0', result: fields }) + '\n';
  const h64 = '0x' + 'ab'.repeat(32);
  const hostile = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('{"id":1,"jsonrpc":"2.0","result":true}\n');
      socket.write('this is not json\n');
      socket.write('{"id":0,"result":' + '9'.repeat(40_000) + '}\n');
      socket.write(job([h64, h64, '0x' + 'ff'.repeat(8)]));
      socket.write(job(['0x1234', h64, h64, '940500']));
      socket.write(job([h64, h64, h64, '12']));
      setTimeout(() => socket.destroy(), 300);
    });
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  const hostilePort = (hostile.address() as net.AddressInfo).port;
  const devnet = await devnetAt();
  const lines: string[] = [];
  const s = startMiningSession({
    pools: [parsePoolUri(`stratum1+tcp://x.y@127.0.0.1:${hostilePort}`), uriOf(devnet, 'c')],
    backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed', batchMs: 200,
    logger: (level: LogLevel, m: string) => lines.push(`${level} ${m}`),
    poolOptions: { retriesPerPool: 1, backoff: { initialMs: 100, maxMs: 300, factor: 2 }, primaryRetryMs: 0 },
  });
  try {
    await waitUntil(() => s.miner.shares.accepted > 0, 60_000, 'a share accepted by the good pool');
  } finally {
    await s.stop();
    await devnet.close();
    hostile.close();
  }
  const log = lines.join('\n');
  assert.match(log, /not json|malformed|parse/i);
  assert.match(log, /no block height/);
  assert.match(log, /header hash/);
  assert.match(log, /below the ProgPoW activation height|out of range/);
});

test('kill -9 while a block is pending: after a restart it is still followed to its outcome', async () => {
  const devnet = await startDevnet({
    dag: 'small', initialDifficulty: 2000n, voterOnlineProbability: 1, voteLatencyMs: [2500, 3500],
    stratumTlsPort: null, stratumWsPort: null, logger: () => {},
  });
  const datadir = tmp();
  const journal = path.join(datadir, 'ledger.jsonl');
  const bin = path.join(repoRoot, 'bin/sero-miner.js');
  const args = ['mine', '-P', devnet.endpoints.stratum.replace('://', '://devnet-miner.k9@'), '--node', devnet.endpoints.rpc,
    '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir];
  try {
    const first = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    await waitUntil(() => existsSync(journal) && readFileSync(journal, 'utf8').includes('"t":"pending"'), 90_000, 'a pending block in the journal');
    first.kill('SIGKILL');
    await new Promise((r) => first.on('exit', r));
    const pendingAtCrash = new Ledger(datadir).pending();
    assert.ok(pendingAtCrash.length >= 1, 'the block was pending when the miner died');
    const target = pendingAtCrash[0]!;

    const second = spawn(process.execPath, [bin, ...args, '--duration', '25'], { stdio: 'ignore' });
    await waitUntil(() => new Ledger(datadir).get(target.height, target.nonce)!.status !== 'pending', 60_000, 'the restarted miner to settle the block');
    second.kill('SIGTERM');
    await new Promise((r) => second.on('exit', r));
  } finally {
    await devnet.close();
  }
  const settled = new Ledger(datadir).get(pendingAtCrash0(datadir).height, pendingAtCrash0(datadir).nonce)!;
  assert.ok(settled.status === 'confirmed' || settled.status === 'orphaned');
  if (settled.status === 'confirmed') assert.equal(settled.credit, 45n * 10n ** 18n);
  else assert.equal(settled.credit, 0n);
});

/** The first block the journal ever recorded as pending. */
function pendingAtCrash0(datadir: string): { height: number; nonce: string } {
  const first = readFileSync(path.join(datadir, 'ledger.jsonl'), 'utf8').split('\n').map((l) => (l ? JSON.parse(l) : undefined)).find((r) => r?.t === 'pending');
  return { height: first.height, nonce: first.nonce };
}
